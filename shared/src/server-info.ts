import { z } from 'zod/mini'
import { mailDeliverySchema } from './notifications.ts'

/** `GET /api/server-info`: what the dashboard must tell the owner about the server it talks to. */
export const serverInfoSchema = z.object({
  isSandbox: z.boolean(),
  version: z.string(),
  /** A number still unassigned this long after it was requested is given up (marked failed). */
  provisioningDeadlineSeconds: z.int().check(z.positive()),
  /** How mail goes out; absent from servers older than email notifications. */
  mailDelivery: z.optional(mailDeliverySchema),
  /** Sandbox mode: POST /api/phone-numbers/:id/test-call rings a live number (the dashboard's "place a test call"). */
  canPlaceTestCalls: z.optional(z.boolean()),
  /** Sandbox mode only: where the Vapi sandbox answers (Vapi's paths, and its /_sandbox/... controls). */
  sandboxUrl: z.optional(z.string()),
})
export type ServerInfo = z.infer<typeof serverInfoSchema>
