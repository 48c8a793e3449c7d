import type { PhoneNumber, PhoneNumberStatus } from '@dialtone/shared/phone-number'

export type StatusFilter = 'all' | PhoneNumberStatus

/** Matches a name by its words and a number by its digits, however the owner types them ("(415) 555", "4155"). */
export function matchesSearch(phoneNumber: PhoneNumber, search: string): boolean {
  const query = search.trim().toLowerCase()
  if (query === '') return true
  if (phoneNumber.name?.toLowerCase().includes(query)) return true
  const digits = query.replace(/\D/g, '')
  if (digits === '') return false
  const numberDigits = (phoneNumber.number ?? phoneNumber.areaCode).replace(/\D/g, '')
  // "+1 415…" and "415…" are both ways to type the same number.
  return numberDigits.includes(digits) || numberDigits.replace(/^1/, '').includes(digits.replace(/^1(?=\d{3})/, ''))
}

export function countByStatus(phoneNumbers: readonly PhoneNumber[]): Record<StatusFilter, number> {
  const counts: Record<StatusFilter, number> = { all: 0, pending: 0, active: 0, failed: 0, released: 0 }
  for (const phoneNumber of phoneNumbers) {
    counts.all += 1
    counts[phoneNumber.status] += 1
  }
  return counts
}

export function filterPhoneNumbers(
  phoneNumbers: readonly PhoneNumber[],
  status: StatusFilter,
  search: string,
): PhoneNumber[] {
  return phoneNumbers.filter(
    (phoneNumber) => (status === 'all' || phoneNumber.status === status) && matchesSearch(phoneNumber, search),
  )
}

export interface SettledHiding {
  /** Hide every failed and released number. */
  hideFailedAndReleased: boolean
  /** Ids of cards the owner dismissed one by one. */
  dismissedIds: ReadonlySet<string>
}

/**
 * The "All" view without what the owner chose not to see; a chosen status shows all of its numbers, so nothing
 * hidden is out of reach. `hidden` counts what was left out, for the line that says so.
 */
export function hideSettledNumbers(
  phoneNumbers: readonly PhoneNumber[],
  status: StatusFilter,
  hiding: SettledHiding,
): { shown: PhoneNumber[]; hidden: number } {
  if (status !== 'all') return { shown: [...phoneNumbers], hidden: 0 }
  const shown = phoneNumbers.filter((phoneNumber) => {
    const isSettled = phoneNumber.status === 'failed' || phoneNumber.status === 'released'
    if (!isSettled) return true
    return !hiding.hideFailedAndReleased && !hiding.dismissedIds.has(phoneNumber.id)
  })
  return { shown, hidden: phoneNumbers.length - shown.length }
}
