import type { TestCall, TestCallRequest } from '@dialtone/shared/call-events'
import { z } from 'zod'
import { AppError } from '../lib/app-error.ts'
import { findPhoneNumberOfOrganization } from '../provisioning/phone-number-repository.ts'
import type { CallEventDeps } from './call-event-deps.ts'

const placedCallSchema = z.looseObject({ callId: z.string() })

/**
 * POST /api/phone-numbers/:id/test-call: in sandbox mode, asks the sandbox to ring one of the organisation's live
 * numbers, so the whole flow (Vapi's messages, the card turning ringing, then on a call) can be watched without a
 * phone. Against real Vapi there is no such thing: 404, as for a route that does not exist.
 */
export async function placeTestCall(
  deps: CallEventDeps,
  input: { organizationId: string; phoneNumberId: string; request: TestCallRequest },
): Promise<TestCall> {
  if (!deps.sandboxUrl) throw new AppError('NOT_FOUND', 'Test calls exist only in sandbox mode.')
  const number = await findPhoneNumberOfOrganization(deps.db, input.organizationId, input.phoneNumberId)
  if (!number) throw new AppError('NOT_FOUND', 'No such phone number.')
  if (number.status !== 'active' || number.vapi_phone_number_id === null) {
    throw new AppError('CONFLICT', 'Only a live number can take a test call.', { status: number.status })
  }
  const response = await fetch(`${deps.sandboxUrl}/_sandbox/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phoneNumberId: number.vapi_phone_number_id, ...input.request }),
    signal: AbortSignal.timeout(10_000),
  })
  const body: unknown = await response.json().catch(() => null)
  const placed = placedCallSchema.safeParse(body)
  if (response.status !== 202 || !placed.success) {
    throw new AppError('CONFLICT', 'The sandbox did not place the call.', { status: response.status, body })
  }
  return { callId: placed.data.callId }
}
