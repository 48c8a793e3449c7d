import {
  monthlyCostSchema,
  phoneNumberListSchema,
  phoneNumberSchema,
  provisioningTimingSchema,
  refreshAllResultSchema,
  type CreatePhoneNumberRequest,
} from '@dialtone/shared/phone-number'
import { requestJson } from '../../lib/request-json.ts'

export const phoneNumberPageSize = 100

export function fetchPhoneNumberPage(cursor: string | null, signal?: AbortSignal) {
  const params = new URLSearchParams({ limit: String(phoneNumberPageSize) })
  if (cursor) params.set('cursor', cursor)
  return requestJson(`/api/phone-numbers?${params.toString()}`, phoneNumberListSchema, signal ? { signal } : {})
}

export function createPhoneNumber(request: CreatePhoneNumberRequest, idempotencyKey: string) {
  return requestJson('/api/phone-numbers', phoneNumberSchema, {
    method: 'POST',
    body: request,
    headers: { 'idempotency-key': idempotencyKey },
  })
}

/** PATCH /api/phone-numbers/:id: the change is made at Vapi first, then stored; the answer is the new copy. */
export function updatePhoneNumber(id: string, change: { name?: string; assistantId?: string | null }) {
  return requestJson(`/api/phone-numbers/${encodeURIComponent(id)}`, phoneNumberSchema, {
    method: 'PATCH',
    body: change,
  })
}

export function refreshPhoneNumber(id: string) {
  return requestJson(`/api/phone-numbers/${encodeURIComponent(id)}/refresh`, phoneNumberSchema, {
    method: 'POST',
    body: {},
  })
}

export function refreshAllPendingPhoneNumbers() {
  return requestJson('/api/phone-numbers/refresh', refreshAllResultSchema, { method: 'POST', body: {} })
}

export function releasePhoneNumber(id: string) {
  return requestJson(`/api/phone-numbers/${encodeURIComponent(id)}`, phoneNumberSchema, { method: 'DELETE' })
}

export function fetchProvisioningTiming() {
  return requestJson('/api/phone-numbers/timing', provisioningTimingSchema)
}

export function fetchMonthlyCost() {
  return requestJson('/api/phone-numbers/monthly-cost', monthlyCostSchema)
}
