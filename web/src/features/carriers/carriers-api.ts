import {
  availableNumberListSchema,
  carrierNumberListSchema,
  importCarrierNumbersResultSchema,
  type AvailableNumbersQuery,
  type BuyCarrierNumberRequest,
  type CarrierName,
  type ImportCarrierNumbersRequest,
  type PutTelnyxConnectionRequest,
  type PutTwilioConnectionRequest,
} from '@dialtone/shared/carriers'
import { connectionSchema } from '@dialtone/shared/connections'
import { phoneNumberSchema } from '@dialtone/shared/phone-number'
import { requestJson } from '../../lib/request-json.ts'

export const carrierLabels: Record<CarrierName, string> = { twilio: 'Twilio', telnyx: 'Telnyx' }

// Credentials go in, never come back: every answer carries their last four characters at most.
const connectionPath = (carrier: CarrierName) => `/api/connections/${carrier}`

export function fetchCarrierConnection(carrier: CarrierName, signal?: AbortSignal) {
  return requestJson(connectionPath(carrier), connectionSchema, signal ? { signal } : {})
}

export function connectTwilioAccount(request: PutTwilioConnectionRequest) {
  return requestJson(connectionPath('twilio'), connectionSchema, { method: 'PUT', body: request })
}

export function connectTelnyxAccount(request: PutTelnyxConnectionRequest) {
  return requestJson(connectionPath('telnyx'), connectionSchema, { method: 'PUT', body: request })
}

export function disconnectCarrierAccount(carrier: CarrierName) {
  return requestJson(connectionPath(carrier), connectionSchema, { method: 'DELETE' })
}

/** The search as the form holds it: empty fields are left out of the query. */
export type CarrierSearch = Pick<AvailableNumbersQuery, 'carrier' | 'country' | 'type'> &
  Partial<Record<'areaCode' | 'contains' | 'locality' | 'region' | 'nearNumber', string>>

export function searchAvailableNumbers(search: CarrierSearch, page: string | undefined, signal?: AbortSignal) {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(search)) {
    if (typeof value === 'string' && value.trim() !== '') params.set(key, value.trim())
  }
  if (page !== undefined) params.set('page', page)
  return requestJson(`/api/available-numbers?${params.toString()}`, availableNumberListSchema, signal ? { signal } : {})
}

export function buyCarrierNumber(request: BuyCarrierNumberRequest, idempotencyKey: string) {
  return requestJson('/api/phone-numbers', phoneNumberSchema, {
    method: 'POST',
    body: request,
    headers: { 'idempotency-key': idempotencyKey },
  })
}

export function fetchCarrierNumbers(carrier: CarrierName, signal?: AbortSignal) {
  return requestJson(
    `/api/carrier-numbers?${new URLSearchParams({ carrier }).toString()}`,
    carrierNumberListSchema,
    signal ? { signal } : {},
  )
}

export function importCarrierNumbers(request: ImportCarrierNumbersRequest) {
  return requestJson('/api/phone-numbers/import', importCarrierNumbersResultSchema, { method: 'POST', body: request })
}
