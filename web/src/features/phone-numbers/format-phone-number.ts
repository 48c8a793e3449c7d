/** "+14155550123" → "+1 (415) 555-0123"; numbers outside the North American plan are shown as Vapi gave them. */
export function formatPhoneNumber(e164: string): string {
  const match = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164)
  if (!match) return e164
  const [, area, exchange, line] = match
  return `+1 (${area}) ${exchange}-${line}`
}

/** What the number line shows before a number exists: the area code is known, the rest is not. */
export function formatPlaceholderNumber(areaCode: string): string {
  return `+1 (${areaCode}) ···-····`
}
