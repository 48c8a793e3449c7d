import { z } from 'zod'
import type { CallEventSettingRow, PhoneNumberRow } from '../db/schema.ts'
import { toPhoneNumber } from '../provisioning/phone-number-mapper.ts'
import { MalformedWebhookError } from '../vapi/vapi-webhook-envelope.ts'
import { advanceCall, latestEndedReasons, lockPhoneNumber, writeActivityFromCalls } from './call-activity-repository.ts'
import type { CallEventDeps } from './call-event-deps.ts'
import { findCallEventByKey, findNumberForCall, insertCallEvent, type NewCallEvent } from './call-event-repository.ts'
import {
  answeredMessageTypes,
  callMessageSchema,
  callStageOf,
  failingCallsInARow,
  isBrokenEndedReason,
  messageKeyOf,
  occurredAtOf,
  redactCallMessage,
  vapiPhoneNumberIdOf,
  type CallMessage,
} from './call-message.ts'
import { forwardCallMessage } from './forward-call-message.ts'

export type CallMessageOutcome =
  /** Not about one of dialtone's numbers, or about no number at all. */
  | 'not-ours'
  /** Nothing new: the call already shows it, and (when relayed) it was stored before. */
  | 'unchanged'
  /** The number's activity changed. */
  | 'applied'
  /** The organisation's server answered and Vapi gets its answer. */
  | 'answered'
  /** The organisation's server failed or was too slow (or there is none): Vapi gets the fallback. */
  | 'fallback'
  /** Processed again from the log: a message Vapi waited on is never asked again. */
  | 'replayed'

export interface CallMessageResult {
  outcome: CallMessageOutcome
  /** What Vapi gets back. */
  response: { status: number; body: string }
  messageType: string
  phoneNumberId: string | null
  organizationId: string | null
  callId: string | null
  /** Whether it waits in the outbox to be forwarded to the organisation's server (newly stored now). */
  isQueued: boolean
  /** For a message Vapi waits on and the organisation's server was asked: how long it took. */
  relayLatencyMs: number | null
  /** The message's key in call_event (the inbound log joins on it to show the relay's status). */
  messageKey: string
}

/** Whether a verified webhook is a call message (everything but the sandbox's phone-number-status-update). */
export function isCallMessageType(type: string): boolean {
  return type !== 'phone-number-status-update'
}

const callEnvelopeSchema = z.looseObject({ message: callMessageSchema })

function parseCallMessage(rawBody: Uint8Array): CallMessage {
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody))
  } catch {
    throw new MalformedWebhookError('The body is not JSON.')
  }
  const result = callEnvelopeSchema.safeParse(parsed)
  if (!result.success) throw new MalformedWebhookError('Expected Vapi’s envelope: { "message": { "type": … } }.')
  return result.data.message
}

const spokenApology = 'Sorry, this line cannot take your call right now. Please try again later.'

/** What Vapi gets when the organisation's server cannot answer (or there is none): chosen in advance. */
export function fallbackAnswer(type: string, setting: CallEventSettingRow | undefined): unknown {
  if (type === 'assistant-request') {
    return setting?.fallback_assistant_id ? { assistantId: setting.fallback_assistant_id } : { error: spokenApology }
  }
  if (type === 'knowledge-base-request') return { documents: [] }
  if (type === 'campaign.predial') return { eligible: false }
  return { error: 'The organisation’s server did not answer.' }
}

function isRelaying(setting: CallEventSettingRow | undefined): setting is CallEventSettingRow {
  return Boolean(setting?.is_enabled && setting.forward_url)
}

const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) })

/**
 * One call message from Vapi (verified by the caller), or one processed again from the inbound log (`isReplay`).
 * Messages Vapi waits on are forwarded at once to the organisation's server when it relays them, and its answer
 * comes back unchanged; when that fails or takes too long (or nobody relays), the fallback chosen in advance.
 * Other messages move the number's call activity (monotonic per call, so a repeat or an older message changes
 * nothing) and, for organisations that relay, are stored in the outbox in the same transaction before the 200.
 * Idempotent: the same message again stores nothing twice, forwards nothing twice, publishes nothing.
 */
export async function handleCallMessage(
  deps: CallEventDeps,
  input: { rawBody: Uint8Array; isReplay?: boolean },
): Promise<CallMessageResult> {
  const message = parseCallMessage(input.rawBody)
  const rawText = new TextDecoder().decode(input.rawBody)
  const messageKey = messageKeyOf(message, input.rawBody)
  const callId = message.call?.id ?? null
  const vapiPhoneNumberId = vapiPhoneNumberIdOf(message)
  const number = vapiPhoneNumberId ? await findNumberForCall(deps.db, vapiPhoneNumberId) : undefined
  const base = {
    messageType: message.type,
    phoneNumberId: number?.id ?? null,
    organizationId: number?.organization_id ?? null,
    callId,
    messageKey,
    isQueued: false,
    relayLatencyMs: null,
  }
  const isAnswered = answeredMessageTypes.has(message.type)
  if (!number) {
    return {
      ...base,
      outcome: 'not-ours',
      response: isAnswered ? json(200, fallbackAnswer(message.type, undefined)) : json(200, { received: true }),
    }
  }
  const { setting } = number
  const receivedAt = deps.clock.now()
  const stored: Omit<NewCallEvent, 'relay' | 'forwardBody'> = {
    organizationId: number.organization_id,
    phoneNumberId: number.id,
    callId,
    messageType: message.type,
    messageKey,
    orderKey: `${number.organization_id}:${callId ?? messageKey}`,
    occurredAt: occurredAtOf(message),
    receivedAt,
    payload: JSON.stringify(setting?.keeps_transcripts ? message : redactCallMessage(message)),
  }

  if (isAnswered) {
    if (input.isReplay) {
      // Nobody waits for this answer any more; asking the organisation's server again would do it twice.
      const earlier = await findCallEventByKey(deps.db, messageKey)
      return { ...base, outcome: 'replayed', response: json(200, { received: true, relay: earlier?.relay ?? null }) }
    }
    if (!isRelaying(setting)) {
      return { ...base, outcome: 'fallback', response: json(200, fallbackAnswer(message.type, setting)) }
    }
    const forwarded = await forwardCallMessage(deps, setting, rawText, {
      timeoutMs: deps.relayTimeoutMs,
      expectsJson: true,
    })
    const outcome = forwarded.isSuccess ? 'answered' : 'fallback'
    const response = forwarded.isSuccess
      ? { status: 200, body: forwarded.body }
      : json(200, fallbackAnswer(message.type, setting))
    if (!forwarded.isSuccess) {
      deps.logger.warn(
        {
          organizationId: number.organization_id,
          type: message.type,
          status: forwarded.status,
          error: forwarded.error,
        },
        'the organisation’s server did not answer a call message; Vapi gets the fallback',
      )
    }
    await insertCallEvent(deps.db, {
      ...stored,
      relay: outcome,
      forwardBody: null,
      latencyMs: forwarded.latencyMs,
      lastStatus: forwarded.status,
      lastError: forwarded.isSuccess ? null : forwarded.error,
    })
    return { ...base, outcome, response, relayLatencyMs: forwarded.latencyMs }
  }

  const stage = callStageOf(message)
  const relays = isRelaying(setting)
  const { row, isQueued } = await deps.db.transaction().execute(async (tx) => {
    let changed: PhoneNumberRow | null = null
    if (stage && callId) {
      await lockPhoneNumber(tx, number.id)
      const isAdvanced = await advanceCall(tx, {
        callId,
        organizationId: number.organization_id,
        phoneNumberId: number.id,
        stage: stage.stage,
        endedReason: stage.endedReason,
        at: occurredAtOf(message) ?? receivedAt,
      })
      if (isAdvanced) {
        const reasons = await latestEndedReasons(tx, number.id, failingCallsInARow)
        const isFailing = reasons.length === failingCallsInARow && reasons.every(isBrokenEndedReason)
        changed = await writeActivityFromCalls(tx, { phoneNumberId: number.id, now: receivedAt, isFailing })
      }
    }
    const queuedId = relays ? await insertCallEvent(tx, { ...stored, relay: 'queued', forwardBody: rawText }) : null
    return { row: changed, isQueued: queuedId !== null }
  })
  if (row) deps.publisher.phoneNumberActivity?.(row.organization_id, toPhoneNumber(row, receivedAt))
  if (isQueued) deps.onQueued?.()
  return {
    ...base,
    isQueued,
    outcome: row ? 'applied' : 'unchanged',
    response: json(200, { received: true, outcome: row ? 'applied' : 'unchanged' }),
  }
}
