import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

/**
 * The ISO country of an E.164 number, by libphonenumber's metadata (a +1 number may be US, CA or a Caribbean
 * country). Unknown or shared codes fall back to the numbering plan's main country ('001' non-geographic → 'US').
 */
export function countryOfNumber(number: string): string {
  const parsed = parsePhoneNumberFromString(number)
  return parsed?.country ?? (parsed?.countryCallingCode === '1' || !parsed ? 'US' : 'XX')
}
