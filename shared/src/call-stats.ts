import { z } from 'zod/mini'

/** GET /api/admin/call-stats: numbers that went live in [from, to) (default: the last 30 days). */
export const callStatsQuerySchema = z.object({
  from: z.optional(z.iso.datetime({ offset: true })),
  to: z.optional(z.iso.datetime({ offset: true })),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500)), 50),
})
export type CallStatsQuery = z.infer<typeof callStatsQuerySchema>

export const callStatsSchema = z.object({
  range: z.object({ from: z.string(), to: z.string() }),
  /** Numbers that went live in the range. */
  liveNumbers: z.int().check(z.nonnegative()),
  /** Of those, how many answered a call within an hour of going live. */
  answeredWithinHour: z.int().check(z.nonnegative()),
  /** answeredWithinHour / liveNumbers; null when no number went live. */
  answeredWithinHourShare: z.nullable(z.number()),
  /** Calls per number (all calls dialtone heard of), most calls first. */
  numbers: z.array(
    z.object({
      id: z.string(),
      organizationId: z.string(),
      organizationName: z.nullable(z.string()),
      number: z.nullable(z.string()),
      activatedAt: z.nullable(z.string()),
      answeredFirstCallAt: z.nullable(z.string()),
      calls: z.int().check(z.nonnegative()),
      failing: z.boolean(),
    }),
  ),
})
export type CallStats = z.infer<typeof callStatsSchema>
