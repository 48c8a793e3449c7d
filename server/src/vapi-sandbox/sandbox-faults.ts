import { z } from 'zod'

const rate = z.number().min(0).max(1)

/** Trouble the sandbox can be told to make, so tests and demos see Vapi's bad days on purpose. */
export const sandboxFaultsSchema = z.strictObject({
  /** Added before every API answer. */
  latencyMs: z.number().int().min(0).max(120_000),
  /** Share of API calls answered 500 (before anything is done). */
  errorRate: rate,
  /** Share of API calls answered 429 with Retry-After: 1. */
  rateLimitRate: rate,
  /** Share of webhooks never sent. */
  webhookDropRate: rate,
  /** Share of webhooks sent twice with the same x-message-id, at the same time. */
  webhookDuplicateRate: rate,
  /** Share of creates that buy the number and then answer 500, as if Vapi's answer were lost on the way. */
  lostCreateAnswerRate: rate,
  /** Added before each webhook is sent. */
  webhookDelayMs: z.number().int().min(0).max(600_000),
  /** Lists (`GET /phone-number`) show numbers with hidden digits (`+141****0123`), as some users report of Vapi. */
  listMasksNumbers: z.boolean(),
  /** Share of carrier imports (`provider: twilio | telnyx`) refused with 400, as Vapi refuses a number it cannot use. */
  importRefusalRate: rate,
})
export type SandboxFaults = z.infer<typeof sandboxFaultsSchema>

export const sandboxFaultsPatchSchema = sandboxFaultsSchema.partial()

export const noFaults: SandboxFaults = {
  latencyMs: 0,
  errorRate: 0,
  rateLimitRate: 0,
  webhookDropRate: 0,
  webhookDuplicateRate: 0,
  lostCreateAnswerRate: 0,
  webhookDelayMs: 0,
  listMasksNumbers: false,
  importRefusalRate: 0,
}
