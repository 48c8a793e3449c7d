import { parsePhoneNumberFromString } from 'libphonenumber-js/min'
import { patternToDigits } from '@dialtone/shared/keypad'
import { formatPhoneNumber } from '../phone-numbers/format-phone-number.ts'

/**
 * A carrier's E.164 number as people read it: North American numbers as the cards show them ("+1 (415) 555-0123"),
 * others by libphonenumber's metadata ("+44 20 7946 0123"); anything it cannot parse as it came.
 */
export function formatCarrierNumber(e164: string): string {
  if (e164.startsWith('+1')) return formatPhoneNumber(e164)
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164
}

const regionNames =
  typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(undefined, { type: 'region' }) : null

/** "GB" → "United Kingdom", in the browser's language. */
export function countryName(code: string): string {
  try {
    return regionNames?.of(code) ?? code
  } catch {
    return code
  }
}

/**
 * The formatted number cut into pieces, those that match a search's "contains" (digits, keypad letters, * for any
 * digit) marked, so an owner sees where PIZZA (74992) sits. The last match wins: a word is laid over the
 * subscriber digits, not the country code.
 */
export function markContains(e164: string, contains: string | undefined): { text: string; isMatch: boolean }[] {
  const formatted = formatCarrierNumber(e164)
  const pattern = patternToDigits(contains ?? '')
    .split('')
    .map((char) => (char === '*' ? '\\d' : char))
  const digits = e164.replace(/\D/g, '')
  if (pattern.length === 0) return [{ text: formatted, isMatch: false }]
  let start = -1
  const search = new RegExp(`(?=${pattern.join('')})`, 'g')
  for (const found of digits.matchAll(search)) start = found.index
  if (start < 0) return [{ text: formatted, isMatch: false }]
  const end = start + pattern.length
  const pieces: { text: string; isMatch: boolean }[] = []
  let digitIndex = 0
  for (const char of formatted) {
    const isDigit = /\d/.test(char)
    const isMatch = isDigit ? digitIndex >= start && digitIndex < end : digitIndex > start && digitIndex < end
    if (isDigit) digitIndex += 1
    const last = pieces[pieces.length - 1]
    if (last && last.isMatch === isMatch) last.text += char
    else pieces.push({ text: char, isMatch })
  }
  return pieces
}
