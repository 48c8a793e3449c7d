import { z } from 'zod'

const rate = z.number().min(0).max(1)

/** Trouble a carrier sandbox can be told to make (`POST /_sandbox/faults`), like the Vapi sandbox's. */
export const carrierFaultsSchema = z.strictObject({
  /** Added before every API answer. */
  latencyMs: z.number().int().min(0).max(120_000),
  /** Share of API calls answered 500 before anything is done. */
  errorRate: rate,
  /** Share of API calls answered 429 (Twilio 20429, Telnyx 10011) with Retry-After: 1. */
  rateLimitRate: rate,
  /** Share of purchases (Twilio) or orders (Telnyx) that are made and then answered 500, as if the answer were lost. */
  lostPurchaseAnswerRate: rate,
  /** Telnyx: share of number orders whose numbers fail. */
  orderFailureRate: rate,
  /** Telnyx: share of number-order webhooks never sent (the poller must find the outcome). */
  webhookDropRate: rate,
  /** Telnyx: share of webhooks sent twice (same event id). */
  webhookDuplicateRate: rate,
  /** Telnyx: added before each webhook is sent. */
  webhookDelayMs: z.number().int().min(0).max(600_000),
})
export type CarrierFaults = z.infer<typeof carrierFaultsSchema>

export const carrierFaultsPatchSchema = carrierFaultsSchema.partial()

export const noCarrierFaults: CarrierFaults = {
  latencyMs: 0,
  errorRate: 0,
  rateLimitRate: 0,
  lostPurchaseAnswerRate: 0,
  orderFailureRate: 0,
  webhookDropRate: 0,
  webhookDuplicateRate: 0,
  webhookDelayMs: 0,
}
