import { parsePhoneNumberFromString } from 'libphonenumber-js/min'
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
