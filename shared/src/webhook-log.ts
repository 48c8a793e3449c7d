import { z } from 'zod/mini'

/** How a received webhook's credentials checked out. Only `ok` messages are acted on or can be processed again. */
export const inboundVerifications = ['ok', 'bad-signature', 'missing-credentials', 'stale'] as const
export const inboundVerificationSchema = z.enum(inboundVerifications)
export type InboundVerification = z.infer<typeof inboundVerificationSchema>

/** One message dialtone received on a webhook route (`GET /api/webhook-log`). */
export const inboundMessageSchema = z.object({
  id: z.string(),
  receivedAt: z.string(),
  /** Who sent it: `vapi` (also the sandbox), `telnyx`, `twilio`. */
  source: z.string(),
  /** The message's own type, like status-update or phone-number-status-update; null when it could not be read. */
  type: z.nullable(z.string()),
  /** The organisation the number belongs to; null for refused messages and numbers that are not dialtone's. */
  organizationId: z.nullable(z.string()),
  phoneNumberId: z.nullable(z.string()),
  /** The number as E.164, when dialtone knows it. */
  number: z.nullable(z.string()),
  callId: z.nullable(z.string()),
  verification: inboundVerificationSchema,
  /** Why verification failed, in words. */
  verificationDetail: z.nullable(z.string()),
  /** What dialtone did: transitioned, duplicate, unchanged, ignored, not-ours, relayed, malformed, error, … */
  outcome: z.string(),
  /** The HTTP status dialtone answered. */
  httpStatus: z.int(),
  /** How long dialtone took to answer, in milliseconds. */
  handlingMs: z.nullable(z.number()),
  /** What the call-events relay did with it; null when it was not relayed. */
  relay: z.nullable(
    z.object({
      status: z.string(),
      latencyMs: z.nullable(z.number()),
      attempts: z.int(),
      detail: z.nullable(z.string()),
    }),
  ),
  /** The request headers, without credentials (authorization, secrets, signatures, cookies). */
  headers: z.record(z.string(), z.string()),
  /** The body as received, minus what the server is set to leave out; null when the body was not read. */
  payload: z.unknown(),
  bodyBytes: z.int(),
  /** The paths left out of the payload (like message.artifact.transcript). */
  redactions: z.array(z.string()),
  reprocessCount: z.int(),
  lastReprocessedAt: z.nullable(z.string()),
  lastReprocessOutcome: z.nullable(z.string()),
})
export type InboundMessage = z.infer<typeof inboundMessageSchema>

export const webhookLogResponseSchema = z.object({
  items: z.array(inboundMessageSchema),
  nextCursor: z.nullable(z.string()),
})
export type WebhookLogResponse = z.infer<typeof webhookLogResponseSchema>

const optionalText = z.optional(z.string().check(z.trim(), z.maxLength(200)))

export const webhookLogQuerySchema = z
  .object({
    /** A message type, like status-update. */
    type: optionalText,
    /** What dialtone did, like duplicate; `refused` finds every message that failed verification. */
    outcome: optionalText,
    /** Only messages about this number (its dialtone id). */
    phoneNumberId: z.optional(z.uuid({ error: 'phoneNumberId: a phone number id.' })),
    from: z.optional(z.iso.datetime({ offset: true, error: 'from: an ISO 8601 time.' })),
    to: z.optional(z.iso.datetime({ offset: true, error: 'to: an ISO 8601 time.' })),
    cursor: z.optional(z.string().check(z.maxLength(100))),
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)), 50),
    /** Platform admins only: every organisation's messages, the refused and unknown ones too. */
    all: z.optional(z.enum(['true', 'false'])),
  })
  .check(
    z.refine((query) => !query.from || !query.to || Date.parse(query.from) <= Date.parse(query.to), {
      message: 'from must not be after to.',
      path: ['from'],
    }),
  )
export type WebhookLogQuery = z.input<typeof webhookLogQuerySchema>

export const reprocessResultSchema = z.object({
  id: z.string(),
  /** What the handling answered this time; a message already applied answers duplicate or unchanged. */
  outcome: z.string(),
})
export type ReprocessResult = z.infer<typeof reprocessResultSchema>

export const reprocessSinceRequestSchema = z.object({
  since: z.iso.datetime({ offset: true, error: 'since: expected an ISO 8601 time, like 2026-12-01T09:00:00Z.' }),
})
export const reprocessSinceResultSchema = z.object({
  /** Messages processed again (verified ones received since `since`, oldest first). */
  reprocessed: z.int(),
  /** How many answers of each kind: { duplicate: 12, transitioned: 1 }. */
  outcomes: z.record(z.string(), z.int()),
  /** Set when more matched than one request processes (1,000): send again with this as `since`. */
  continueFrom: z.nullable(z.string()),
})
export type ReprocessSinceResult = z.infer<typeof reprocessSinceResultSchema>
