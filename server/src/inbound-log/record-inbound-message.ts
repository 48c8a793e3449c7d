import { randomUUID } from 'node:crypto'
import type { InboundVerification } from '@dialtone/shared/webhook-log'
import type { InboundLogDeps } from './inbound-log-deps.ts'
import { insertInboundMessage, type InboundNumberReference } from './inbound-message-repository.ts'
import { headersWithoutCredentials, redactInboundPayload } from './redact-inbound-message.ts'

export interface InboundMessageRecord {
  /** Made by the caller before handling when the handling needs it (the relay reports on it); otherwise new. */
  id?: string
  source: string
  receivedAt?: Date
  headers: Headers
  /** null when the request was refused before its body was read. */
  rawBody: Uint8Array | null
  verification: InboundVerification
  verificationDetail?: string | null
  /** What the route answered: transitioned, duplicate, ignored, relayed, malformed, error, … */
  outcome: string
  httpStatus: number
  messageType?: string | null
  callId?: string | null
  deliveryId?: string | null
  messageId?: string | null
  attemptId?: string | null
  /** A call message's key in call_event: the log shows that row's relay status and latency. */
  relayKey?: string | null
  /** Used only when verification is ok: a forged message must not land in an organisation's log. */
  phoneNumber?: InboundNumberReference | null
  handlingMs?: number | null
}

/**
 * Writes one received message to the inbound webhook log. Never throws: the log must not make a webhook fail, so
 * a failed insert is logged and the answer goes out as it would have. Returns the row's id, or null if it failed.
 */
export async function recordInboundMessage(deps: InboundLogDeps, record: InboundMessageRecord): Promise<string | null> {
  const id = record.id ?? randomUUID()
  try {
    const { payload, redactions } = record.rawBody
      ? redactInboundPayload(record.rawBody, deps.contentPolicy)
      : { payload: null, redactions: [] }
    await insertInboundMessage(deps.db, {
      id,
      receivedAt: record.receivedAt ?? deps.clock.now(),
      source: record.source,
      messageType: record.messageType ?? null,
      callId: record.callId ?? null,
      verification: record.verification,
      verificationDetail: record.verificationDetail ?? null,
      outcome: record.outcome,
      httpStatus: record.httpStatus,
      handlingMs: record.handlingMs ?? null,
      deliveryId: record.deliveryId ?? null,
      messageId: record.messageId ?? null,
      attemptId: record.attemptId ?? null,
      relayKey: record.relayKey ?? null,
      headers: headersWithoutCredentials(record.headers),
      payload,
      bodyBytes: record.rawBody?.byteLength ?? 0,
      redactions,
      numberReference: record.verification === 'ok' ? (record.phoneNumber ?? null) : null,
    })
    return id
  } catch (error) {
    deps.logger.warn(
      { err: error, source: record.source, outcome: record.outcome },
      'inbound webhook log: could not record a message; the webhook was answered anyway',
    )
    return null
  }
}

/** The log's words for why verifyVapiWebhook (or a carrier's check) refused a request. */
export function verificationOfRefusal(reason: string): InboundVerification {
  if (/missing|no webhook secret/i.test(reason)) return 'missing-credentials'
  if (/minutes away|stale|too old/i.test(reason)) return 'stale'
  return 'bad-signature'
}
