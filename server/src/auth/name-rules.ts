/** User and organisation names: what a person types into one line, never a document. */
export const maxNameLength = 100

const organizationSuffix = '’s organisation'

/** A problem with a user's name in words for the owner, or null when it is fine. */
export function describeNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name.trim() === '') return 'Enter your name.'
  if (name.trim().length > maxNameLength) return `Names are limited to ${maxNameLength} characters.`
  return null
}

/** The organisation a new owner gets, named after them and within the same bound. */
export function organizationNameFor(ownerName: string): string {
  return `${ownerName.trim().slice(0, maxNameLength - organizationSuffix.length)}${organizationSuffix}`
}
