import type { AvailableNumberList, AvailableNumbersQuery } from '@dialtone/shared/carriers'
import { AppError } from '../lib/app-error.ts'
import type { CarrierAccounts } from '../connections/carrier-accounts.ts'
import { carrierErrorToAppError, carrierLabel } from './carrier-error-to-app-error.ts'
import { phoneMetadata, type PhoneMetadata } from './country-of-number.ts'

/** Countries of the North American Numbering Plan: the only ones with three-digit area codes a search can take. */
function hasAreaCodes({ isSupportedCountry, getCountryCallingCode }: PhoneMetadata, country: string): boolean {
  return isSupportedCountry(country) && getCountryCallingCode(country) === '1'
}

/**
 * GET /api/available-numbers: one page of what the carrier offers, in the contract's shape. Filters the carrier
 * cannot take are refused here with words (an area code outside North America, an unknown country), before the
 * carrier is asked.
 */
export async function searchAvailableNumbers(
  deps: { carrierAccounts: CarrierAccounts },
  input: { organizationId: string; query: AvailableNumbersQuery },
): Promise<AvailableNumberList> {
  const { query } = input
  const label = carrierLabel(query.carrier)
  const metadata = await phoneMetadata()
  if (!metadata.isSupportedCountry(query.country)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `country: ${query.country} is not a country code (use ISO codes like US, CA, GB).`,
    )
  }
  if (query.areaCode !== undefined && !hasAreaCodes(metadata, query.country)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `areaCode: numbers in ${query.country} have no area codes to search by. Search by locality, region or digits the number contains instead.`,
    )
  }
  if (query.areaCode !== undefined && !/^[2-9]\d{2}$/.test(query.areaCode)) {
    throw new AppError('VALIDATION_FAILED', 'areaCode: a North American area code is three digits, like 415.')
  }
  if (query.nearNumber !== undefined && query.carrier === 'telnyx' && !query.nearNumber.startsWith('+1')) {
    throw new AppError('VALIDATION_FAILED', `nearNumber: ${label} finds numbers near a North American number only.`)
  }
  const account = await deps.carrierAccounts.current(input.organizationId, query.carrier)
  const search = {
    country: query.country,
    type: query.type,
    ...(query.areaCode ? { areaCode: query.areaCode } : {}),
    ...(query.contains ? { contains: query.contains } : {}),
    ...(query.locality ? { locality: query.locality } : {}),
    ...(query.region ? { region: query.region } : {}),
    ...(query.nearNumber ? { nearNumber: query.nearNumber } : {}),
    ...(query.page ? { page: query.page } : {}),
    pageSize: 20,
  }
  try {
    const page = await account.client.searchAvailable(search)
    return page.nextPage ? { items: page.items, nextPage: page.nextPage } : { items: page.items }
  } catch (error) {
    throw carrierErrorToAppError(error, { carrier: query.carrier, action: 'search', outcome: 'the search was not run' })
  }
}
