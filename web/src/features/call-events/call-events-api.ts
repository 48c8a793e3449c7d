import {
  callEventSettingsSchema,
  testCallSchema,
  type PutCallEventSettingsRequest,
  type TestCallRequest,
} from '@dialtone/shared/call-events'
import { requestJson } from '../../lib/request-json.ts'

export function fetchCallEventSettings(signal?: AbortSignal) {
  return requestJson('/api/call-events', callEventSettingsSchema, signal ? { signal } : {})
}

export function saveCallEventSettings(request: PutCallEventSettingsRequest) {
  return requestJson('/api/call-events', callEventSettingsSchema, { method: 'PUT', body: request })
}

/** Sandbox mode only: the sandbox calls the number and sends Vapi's messages for the call. */
export function placeTestCall(phoneNumberId: string, request: TestCallRequest = {}) {
  return requestJson(`/api/phone-numbers/${encodeURIComponent(phoneNumberId)}/test-call`, testCallSchema, {
    method: 'POST',
    body: request,
  })
}
