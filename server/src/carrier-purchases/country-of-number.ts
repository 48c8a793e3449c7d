import type * as PhoneMetadataModule from 'libphonenumber-js/max'

export type PhoneMetadata = typeof PhoneMetadataModule
let loading: Promise<PhoneMetadata> | undefined

/**
 * libphonenumber with its full metadata, loaded the first time a carrier number needs it: it holds ~11 MB once
 * loaded, which a server that never touches a carrier (most of them, and every idle one) should not carry.
 */
export function phoneMetadata(): Promise<PhoneMetadata> {
  loading ??= import('libphonenumber-js/max')
  return loading
}

/**
 * The ISO country of an E.164 number, by libphonenumber's metadata (a +1 number may be US, CA or a Caribbean
 * country). Unknown or shared codes fall back to the numbering plan's main country ('001' non-geographic → 'US').
 */
export async function countryOfNumber(number: string): Promise<string> {
  const parsed = (await phoneMetadata()).parsePhoneNumberFromString(number)
  return parsed?.country ?? (parsed?.countryCallingCode === '1' || !parsed ? 'US' : 'XX')
}
