import { z } from 'zod'
import { mailDeliverySchema } from './notifications.ts'

/** `GET /api/server-info`: what the dashboard must tell the owner about the server it talks to. */
export const serverInfoSchema = z.object({
  isSandbox: z.boolean(),
  version: z.string(),
  /** A number still unassigned this long after it was requested is given up (marked failed). */
  provisioningDeadlineSeconds: z.number().int().positive(),
  /** How mail goes out; absent from servers older than email notifications. */
  mailDelivery: mailDeliverySchema.optional(),
  /** Sandbox mode: POST /api/phone-numbers/:id/test-call rings a live number (the dashboard's "place a test call"). */
  canPlaceTestCalls: z.boolean().optional(),
  /** Sandbox mode only: where the Vapi sandbox answers (Vapi's paths, and its /_sandbox/... controls). */
  sandboxUrl: z.string().optional(),
})
export type ServerInfo = z.infer<typeof serverInfoSchema>
