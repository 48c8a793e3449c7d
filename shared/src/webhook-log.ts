import { z } from 'zod'

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
  type: z.string().nullable(),
  /** The organisation the number belongs to; null for refused messages and numbers that are not dialtone's. */
  organizationId: z.string().nullable(),
  phoneNumberId: z.string().nullable(),
  /** The number as E.164, when dialtone knows it. */
  number: z.string().nullable(),
  callId: z.string().nullable(),
  verification: inboundVerificationSchema,
  /** Why verification failed, in words. */
  verificationDetail: z.string().nullable(),
  /** What dialtone did: transitioned, duplicate, unchanged, ignored, not-ours, relayed, malformed, error, … */
  outcome: z.string(),
  /** The HTTP status dialtone answered. */
  httpStatus: z.number().int(),
  /** How long dialtone took to answer, in milliseconds. */
  handlingMs: z.number().nullable(),
  /** What the call-events relay did with it; null when it was not relayed. */
  relay: z
    .object({
      status: z.string(),
      latencyMs: z.number().nullable(),
      attempts: z.number().int(),
      detail: z.string().nullable(),
    })
    .nullable(),
  /** The request headers, without credentials (authorization, secrets, signatures, cookies). */
  headers: z.record(z.string(), z.string()),
  /** The body as received, minus what the server is set to leave out; null when the body was not read. */
  payload: z.unknown(),
  bodyBytes: z.number().int(),
  /** The paths left out of the payload (like message.artifact.transcript). */
  redactions: z.array(z.string()),
  reprocessCount: z.number().int(),
  lastReprocessedAt: z.string().nullable(),
  lastReprocessOutcome: z.string().nullable(),
})
export type InboundMessage = z.infer<typeof inboundMessageSchema>

export const webhookLogResponseSchema = z.object({
  items: z.array(inboundMessageSchema),
  nextCursor: z.string().nullable(),
})
export type WebhookLogResponse = z.infer<typeof webhookLogResponseSchema>

const optionalText = z.string().trim().max(200).optional()

export const webhookLogQuerySchema = z
  .object({
    /** A message type, like status-update. */
    type: optionalText,
    /** What dialtone did, like duplicate; `refused` finds every message that failed verification. */
    outcome: optionalText,
    /** Only messages about this number (its dialtone id). */
    phoneNumberId: z.uuid({ error: 'phoneNumberId: a phone number id.' }).optional(),
    from: z.iso.datetime({ offset: true, error: 'from: an ISO 8601 time.' }).optional(),
    to: z.iso.datetime({ offset: true, error: 'to: an ISO 8601 time.' }).optional(),
    cursor: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** Platform admins only: every organisation's messages, the refused and unknown ones too. */
    all: z.enum(['true', 'false']).optional(),
  })
  .refine((query) => !query.from || !query.to || Date.parse(query.from) <= Date.parse(query.to), {
    message: 'from must not be after to.',
    path: ['from'],
  })
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
  reprocessed: z.number().int(),
  /** How many answers of each kind: { duplicate: 12, transitioned: 1 }. */
  outcomes: z.record(z.string(), z.number().int()),
  /** Set when more matched than one request processes (1,000): send again with this as `since`. */
  continueFrom: z.string().nullable(),
})
export type ReprocessSinceResult = z.infer<typeof reprocessSinceResultSchema>
