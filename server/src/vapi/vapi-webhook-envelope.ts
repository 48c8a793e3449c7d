import { z } from 'zod'

// Vapi's server-message envelope. Only what dialtone acts on is required; everything else is kept as sent.
export const vapiWebhookEnvelopeSchema = z.looseObject({
  message: z.looseObject({
    type: z.string().min(1).max(200),
    timestamp: z.union([z.number(), z.string()]).optional(),
    phoneNumber: z
      .looseObject({
        id: z.string().min(1).max(200),
        status: z.string().max(100).nullish(),
        number: z.string().max(40).nullish(),
      })
      .nullish(),
  }),
})

export type VapiWebhookMessage = z.infer<typeof vapiWebhookEnvelopeSchema>['message']

export class MalformedWebhookError extends Error {
  override name = 'MalformedWebhookError'
}

/** The raw bytes of a (verified) webhook as Vapi's envelope, or MalformedWebhookError saying what is wrong. */
export function parseVapiWebhook(rawBody: Uint8Array): VapiWebhookMessage {
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody))
  } catch {
    throw new MalformedWebhookError('The body is not JSON.')
  }
  const envelope = vapiWebhookEnvelopeSchema.safeParse(parsed)
  if (!envelope.success) throw new MalformedWebhookError('Expected Vapi’s envelope: { "message": { "type": … } }.')
  return envelope.data.message
}
