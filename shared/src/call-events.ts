import { z } from 'zod'

// Call events (issue 17): the organisation lets dialtone receive Vapi's call messages for its numbers and relays
// them to its own server, signed the way that server expects.

export const forwardAuthTypes = ['bearer', 'secret', 'hmac'] as const
export const forwardAuthTypeSchema = z.enum(forwardAuthTypes)
export type ForwardAuthType = z.infer<typeof forwardAuthTypeSchema>

const credential = z.string().min(8, 'At least 8 characters.').max(500)

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
  forwardUrl: z
    .url({ protocol: /^https?$/, message: 'forwardUrl must be an http(s) URL.' })
    .max(2000)
    .nullable()
    .optional(),
  forwardAuth: forwardAuthSchema.nullable().optional(),
  fallbackAssistantId: z
    .string()
    .uuid('fallbackAssistantId must be a Vapi assistant id (a UUID).')
    .nullable()
    .optional(),
  /** Keep transcripts, messages and recording links in what dialtone stores (forwarding always passes them on). */
  keepTranscripts: z.boolean().optional(),
})
export type PutCallEventSettingsRequest = z.infer<typeof putCallEventSettingsRequestSchema>

/** GET/PUT /api/call-events: never the token or secret, only its type and last four characters. */
export const callEventSettingsSchema = z.object({
  enabled: z.boolean(),
  forwardUrl: z.string().nullable(),
  forwardAuth: z.object({ type: forwardAuthTypeSchema, hint: z.string() }).nullable(),
  fallbackAssistantId: z.string().nullable(),
  keepTranscripts: z.boolean(),
  /** Numbers whose server.url points at dialtone for the relay (their previous routing is remembered). */
  routedNumbers: z.number().int().nonnegative(),
})
export type CallEventSettings = z.infer<typeof callEventSettingsSchema>

/** POST /api/phone-numbers/:id/test-call (sandbox mode only): how long the call lasts and how it ends. */
export const testCallRequestSchema = z.strictObject({
  durationMs: z.number().int().min(0).max(600_000).optional(),
  endedReason: z.string().min(1).max(200).optional(),
})
export type TestCallRequest = z.infer<typeof testCallRequestSchema>

export const testCallSchema = z.object({ callId: z.string() })
export type TestCall = z.infer<typeof testCallSchema>
