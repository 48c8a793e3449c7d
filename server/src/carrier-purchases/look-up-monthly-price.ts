import type { CarrierNumberType, MonthlyPrice } from '../carriers/carrier-types.ts'
import type { CarrierAccount } from '../connections/carrier-accounts.ts'
import type { Logger } from '../lib/logger.ts'
import { phoneMetadata } from './country-of-number.ts'

/** The carrier's kind of number, by libphonenumber's metadata (what Twilio prices by). */
export async function numberTypeOf(number: string): Promise<CarrierNumberType> {
  const type = (await phoneMetadata()).parsePhoneNumberFromString(number)?.getType()
  if (type === 'TOLL_FREE') return 'toll-free'
  if (type === 'MOBILE') return 'mobile'
  return 'local'
}

/**
 * What the carrier says `number` costs a month, asked when it is bought or imported, or null when the carrier does
 * not say: Twilio prices by country and type (its Pricing API); Telnyx prices each number in its search, so a number
 * still on sale is found there, and one the owner already holds has no price Telnyx reports. A price is a nicety
 * (the owner sees "price unknown"): a failed look-up never stops the purchase.
 */
export async function lookUpMonthlyPrice(
  account: CarrierAccount,
  number: string,
  country: string,
  logger: Pick<Logger, 'warn'>,
  options: { isOwned: boolean },
): Promise<MonthlyPrice | null> {
  const type = await numberTypeOf(number)
  try {
    if (account.carrier === 'twilio') return await account.client.monthlyPrice(country, type)
    if (options.isOwned) return null
    const national = (await phoneMetadata()).parsePhoneNumberFromString(number)?.nationalNumber
    if (!national) return null
    const page = await account.client.searchAvailable({ country, type, contains: national })
    return page.items.find((item) => item.number === number)?.monthlyPrice ?? null
  } catch (error) {
    logger.warn({ err: error, carrier: account.carrier }, 'monthly price look-up failed; recorded as unknown')
    return null
  }
}

/** The saga's columns for a price (both null when unknown, or when the carrier's figure is not a plain decimal). */
export function monthlyPriceColumns(price: MonthlyPrice | null) {
  const isUsable = price !== null && /^\d{1,9}(\.\d{1,6})?$/.test(price.amount) && /^[A-Z]{3}$/.test(price.currency)
  return {
    monthly_price_amount: isUsable ? price.amount : null,
    monthly_price_currency: isUsable ? price.currency : null,
  }
}
