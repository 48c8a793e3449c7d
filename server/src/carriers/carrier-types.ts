// The carrier-neutral shapes dialtone works with: a search, an available number (the contract's
// `GET /api/available-numbers` item), a page of them, and what a carrier offers per country.

export { patternToDigits } from '@dialtone/shared/keypad'

export type CarrierNumberType = 'local' | 'toll-free' | 'mobile'

export const carrierNumberTypes: readonly CarrierNumberType[] = ['local', 'toll-free', 'mobile']

export interface CarrierCapabilities {
  voice: boolean
  sms: boolean
  mms: boolean
}

export interface MonthlyPrice {
  /** A decimal string as the carrier gives it ("1.15"), never a float. */
  amount: string
  /** ISO 4217 ("USD"). */
  currency: string
}

/** One number a carrier offers, normalised: the item of `GET /api/available-numbers`. */
export interface AvailableNumber {
  /** E.164, e.g. "+14155550123". */
  number: string
  /** ISO 3166-1 alpha-2, upper case. */
  country: string
  locality: string | null
  region: string | null
  capabilities: CarrierCapabilities
  /** The carrier asks for an address (Twilio `address_requirements` other than "none"; Telnyx requirements). */
  addressRequired: boolean
  /** Where the carrier says: Telnyx's `cost_information.monthly_cost`, Twilio's Pricing API for the country and type. */
  monthlyPrice?: MonthlyPrice
}

export interface CarrierSearchQuery {
  /** ISO 3166-1 alpha-2, e.g. "US", "GB". */
  country: string
  type: CarrierNumberType
  /** North American area code (Twilio AreaCode; Telnyx national_destination_code, which also takes e.g. "20"). */
  areaCode?: string
  /** Digits, letters (keypad: "PIZZA" → 74992) and `*` for any one digit. */
  contains?: string
  locality?: string
  /** A state or province code ("CA", "ON") or region name. */
  region?: string
  postalCode?: string
  /** E.164; numbers near it (Twilio only). */
  nearNumber?: string
  /** Miles around nearNumber (Twilio's default 25). */
  distance?: number
  /** true: only numbers with that capability. */
  voice?: boolean
  sms?: boolean
  mms?: boolean
  /** How many per page (Twilio PageSize, Telnyx filter[limit]). */
  pageSize?: number
  /** The `nextPage` token of the previous page, as given. */
  page?: string
}

export interface AvailableNumberPage {
  items: AvailableNumber[]
  /** Opaque; pass back as `page` for the next page. Absent on the last page. */
  nextPage?: string
}

/** A country a carrier sells numbers in, and which types. */
export interface CarrierCountry {
  country: string
  name: string
  types: CarrierNumberType[]
  /** Twilio marks some countries beta. */
  beta: boolean
}

/** Whether `digits` contains `pattern` (already keypad digits) anywhere, `*` matching any one digit. */
export function digitsContain(digits: string, pattern: string): boolean {
  if (pattern === '') return true
  for (let start = 0; start + pattern.length <= digits.length; start += 1) {
    let isMatch = true
    for (let index = 0; index < pattern.length; index += 1) {
      const wanted = pattern[index]
      if (wanted !== '*' && wanted !== digits[start + index]) {
        isMatch = false
        break
      }
    }
    if (isMatch) return true
  }
  return false
}
