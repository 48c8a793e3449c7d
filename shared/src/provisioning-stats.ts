import { z } from 'zod/mini'

export const statsBuckets = ['hour', 'day'] as const

export const provisioningStatsQuerySchema = z
  .object({
    from: z.optional(z.iso.datetime({ offset: true })),
    to: z.optional(z.iso.datetime({ offset: true })),
    bucket: z._default(z.enum(statsBuckets), 'hour'),
    organizationId: z.optional(z.string().check(z.minLength(1))),
  })
  .check(
    z.refine((query) => !query.from || !query.to || Date.parse(query.from) < Date.parse(query.to), {
      message: '`from` must be before `to`.',
      path: ['from'],
    }),
  )
export type ProvisioningStatsQuery = z.infer<typeof provisioningStatsQuerySchema>

const countsShape = {
  attempts: z.int(),
  succeeded: z.int(),
  failed: z.int(),
  /** succeeded / (succeeded + failed); null when both are 0. */
  successRate: z.nullable(z.number()),
  failuresByReason: z.record(z.string(), z.int()),
}
export const countsSchema = z.object(countsShape)
export type Counts = z.infer<typeof countsSchema>

/** Seconds from the create request to the number going live, over numbers that went live; null when none did. */
export const timeToLiveSchema = z.object({
  p50Seconds: z.nullable(z.number()),
  p90Seconds: z.nullable(z.number()),
  p99Seconds: z.nullable(z.number()),
})
export type TimeToLive = z.infer<typeof timeToLiveSchema>

/**
 * Issue 15: numbers asked for in the range, by where they were bought: Vapi's own (US) attempts, as in totals, and
 * carrier purchases and imports (Twilio, Telnyx), which totals and the charts do not count. `country` null is the
 * provider's row over all its countries. A carrier purchase succeeded when its number went live and failed when it
 * was refused, released or kept at the carrier after a failure; time to live runs from the request to live.
 */
export const providerStatsSchema = z.object({
  ...countsShape,
  provider: z.enum(['vapi', 'twilio', 'telnyx']),
  country: z.nullable(z.string()),
  timeToLive: timeToLiveSchema,
})
export type ProviderStats = z.infer<typeof providerStatsSchema>

export const provisioningStatsSchema = z.object({
  range: z.object({ from: z.string(), to: z.string(), bucket: z.enum(statsBuckets) }),
  totals: z.object({
    ...countsShape,
    pendingNow: z.int(),
    oldestPendingSeconds: z.nullable(z.number()),
  }),
  /** Every bucket of the range, empty ones included; timeToLive per bucket is an addition to the contract. */
  buckets: z.array(z.object({ ...countsShape, start: z.string(), timeToLive: timeToLiveSchema })),
  timeToLive: timeToLiveSchema,
  detectedBy: z.object({ webhook: z.int(), poll: z.int(), manual: z.int() }),
  /** `requested`: attempts for the code in the range, whatever became of them; `unavailable`: those Vapi refused
   * because it had no numbers left there (other failures are not counted in it). */
  areaCodes: z.array(z.object({ areaCode: z.string(), requested: z.int(), unavailable: z.int() })),
  /**
   * `succeeded` counts the organisation's attempts in the range that went live (even if released since);
   * `liveNow` (an addition to the contract) counts its numbers live at this moment, whenever they were bought.
   */
  organizations: z.array(z.object({ ...countsShape, id: z.string(), name: z.string(), liveNow: z.int() })),
  /** By provider and country (an addition to the contract, issue 15); providers with nothing in the range are left out. */
  providers: z.optional(z.array(providerStatsSchema)),
})
export type ProvisioningStats = z.infer<typeof provisioningStatsSchema>

/** Failure reasons an attempt or a number can end with; the charts stack failures by these. */
export const failureReasons = [
  'area_code_unavailable',
  'vapi_rejected',
  'vapi_unauthorized',
  'vapi_unavailable',
  'vapi_rate_limited',
  'rolled_back',
  'blocked',
  'deleted_at_vapi',
  'deadline_exceeded',
  'free_number_limit',
  'carrier_order_failed',
  'import_rejected',
] as const
export type FailureReason = (typeof failureReasons)[number]
