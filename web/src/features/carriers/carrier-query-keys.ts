import type { CarrierName } from '@dialtone/shared/carriers'
import type { CarrierSearch } from './carriers-api.ts'

export const carrierQueryKeys = {
  all: ['carriers'] as const,
  connection: (carrier: CarrierName) => [...carrierQueryKeys.all, 'connection', carrier] as const,
  search: (search: CarrierSearch) => [...carrierQueryKeys.all, 'search', search] as const,
  owned: (carrier: CarrierName) => [...carrierQueryKeys.all, 'owned', carrier] as const,
}
