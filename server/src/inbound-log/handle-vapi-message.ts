import type { CallEventDeps } from '../call-events/call-event-deps.ts'
import { answeredMessageTypes } from '../call-events/call-message.ts'
import { handleCallMessage, isCallMessageType, type CallMessageResult } from '../call-events/handle-call-message.ts'
import { ingestVapiWebhook } from '../provisioning/ingest-vapi-webhook.ts'
import type { ProvisioningDeps } from '../provisioning/provisioning-deps.ts'
import { parseVapiWebhook } from '../vapi/vapi-webhook-envelope.ts'

const callOutcomesThatSaySomething = new Set(['applied', 'answered', 'fallback', 'replayed'])

export interface VapiMessageHandlingDeps {
  provisioning: ProvisioningDeps
  callEvents?: CallEventDeps | undefined
}

export interface VapiMessageHandling {
  /** What the log and the sender are told dialtone did. */
  outcome: string
  deliveryId: string
  /** The call message's handling, when it was one; its `response` is what Vapi gets for a message it waits on. */
  call: CallMessageResult | null
  /** Whether Vapi waits on this message's answer (assistant-request, tool-calls, …). */
  isAnswered: boolean
}

/**
 * The one handling of a verified Vapi message, for the webhook route and for "process again" alike: call
 * messages move call activity and go to the relay (call-events/), and every message goes through the
 * provisioning ingestion (status changes, de-duplication on the delivery id). Both are idempotent, so a message
 * handled twice changes nothing the first time did not; a replay (`isReplay`) never asks the organisation's
 * server again for an answer nobody is waiting for.
 */
export async function handleVapiMessage(
  deps: VapiMessageHandlingDeps,
  input: {
    rawBody: Uint8Array
    messageId: string | null
    attemptId: string | null
    deliveryId?: string | null
    isReplay?: boolean
  },
): Promise<VapiMessageHandling> {
  const message = parseVapiWebhook(input.rawBody)
  const { type } = message
  const call =
    deps.callEvents && isCallMessageType(type)
      ? await handleCallMessage(deps.callEvents, { rawBody: input.rawBody, isReplay: input.isReplay ?? false })
      : null
  const ingested = await ingestVapiWebhook(deps.provisioning, { ...input, message })
  return {
    // What the call handling did when it did something; otherwise the ingestion's word (transitioned, ignored, …).
    outcome: call && callOutcomesThatSaySomething.has(call.outcome) ? call.outcome : ingested.outcome,
    deliveryId: ingested.deliveryId,
    call,
    isAnswered: call !== null && answeredMessageTypes.has(type),
  }
}
