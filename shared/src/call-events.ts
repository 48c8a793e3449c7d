import { z } from 'zod/mini'

// Call events (issue 17): the organisation lets dialtone receive Vapi's call messages for its numbers and relays
// them to its own server, signed the way that server expects.

export const forwardAuthTypes = ['bearer', 'secret', 'hmac'] as const
export const forwardAuthTypeSchema = z.enum(forwardAuthTypes)
export type ForwardAuthType = z.infer<typeof forwardAuthTypeSchema>

const credential = z.string().check(z.minLength(8, 'At least 8 characters.'), z.maxLength(500))

/** The credential Vapi would have sent the organisation's server: a bearer token, X-Vapi-Secret, or an HMAC secret. */
export const forwardAuthSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('bearer'), token: credential }),
  z.strictObject({ type: z.literal('secret'), secret: credential }),
  z.strictObject({ type: z.literal('hmac'), secret: credential }),
])
export type ForwardAuth = z.infer<typeof forwardAuthSchema>

/** PUT /api/call-events. `forwardAuth` left out keeps the stored one; null forgets it. */
export const putCallEventSettingsRequestSchema = z.strictObject({
  enabled: z.boolean(),
  forwardUrl: z.optional(
    z.nullable(z.url({ protocol: /^https?$/, message: 'forwardUrl must be an http(s) URL.' }).check(z.maxLength(2000))),
  ),
  forwardAuth: z.optional(z.nullable(forwardAuthSchema)),
  fallbackAssistantId: z.optional(z.nullable(z.uuid('fallbackAssistantId must be a Vapi assistant id (a UUID).'))),
  /** Keep transcripts, messages and recording links in what dialtone stores (forwarding always passes them on). */
  keepTranscripts: z.optional(z.boolean()),
})
export type PutCallEventSettingsRequest = z.infer<typeof putCallEventSettingsRequestSchema>

/** GET/PUT /api/call-events: never the token or secret, only its type and last four characters. */
export const callEventSettingsSchema = z.object({
  enabled: z.boolean(),
  forwardUrl: z.nullable(z.string()),
  forwardAuth: z.nullable(z.object({ type: forwardAuthTypeSchema, hint: z.string() })),
  fallbackAssistantId: z.nullable(z.string()),
  keepTranscripts: z.boolean(),
  /** Numbers whose server.url points at dialtone for the relay (their previous routing is remembered). */
  routedNumbers: z.int().check(z.nonnegative()),
})
export type CallEventSettings = z.infer<typeof callEventSettingsSchema>

/** POST /api/phone-numbers/:id/test-call (sandbox mode only): how long the call lasts and how it ends. */
export const testCallRequestSchema = z.strictObject({
  durationMs: z.optional(z.int().check(z.minimum(0), z.maximum(600_000))),
  endedReason: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
})
export type TestCallRequest = z.infer<typeof testCallRequestSchema>

export const testCallSchema = z.object({ callId: z.string() })
export type TestCall = z.infer<typeof testCallSchema>
