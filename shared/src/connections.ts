import { z } from 'zod/mini'

/** Where an organisation's Vapi calls go: its own key, the deployment's VAPI_API_KEY, or its sandbox account. */
export const connectionSources = ['organization', 'platform', 'sandbox'] as const
export const connectionSourceSchema = z.enum(connectionSources)
export type ConnectionSource = z.infer<typeof connectionSourceSchema>

/** GET/PUT/DELETE /api/connections/vapi. The key itself is never returned: only its last four characters. */
export const connectionSchema = z.object({
  connected: z.boolean(),
  source: z.nullable(connectionSourceSchema),
  keyHint: z.nullable(z.string()),
  connectedAt: z.nullable(z.string()),
})
export type Connection = z.infer<typeof connectionSchema>

export const putVapiConnectionRequestSchema = z.strictObject({
  apiKey: z
    .string()
    .check(
      z.trim(),
      z.minLength(4, 'Paste the Vapi private key from the Vapi dashboard (API Keys).'),
      z.maxLength(200, 'A Vapi private key is shorter than that.'),
    ),
})
export type PutVapiConnectionRequest = z.infer<typeof putVapiConnectionRequestSchema>
