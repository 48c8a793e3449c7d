import { z } from 'zod'

/** GET /api/admin/call-stats: numbers that went live in [from, to) (default: the last 30 days). */
export const callStatsQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
})
export type CallStatsQuery = z.infer<typeof callStatsQuerySchema>

export const callStatsSchema = z.object({
  range: z.object({ from: z.string(), to: z.string() }),
  /** Numbers that went live in the range. */
  liveNumbers: z.number().int().nonnegative(),
  /** Of those, how many answered a call within an hour of going live. */
  answeredWithinHour: z.number().int().nonnegative(),
  /** answeredWithinHour / liveNumbers; null when no number went live. */
  answeredWithinHourShare: z.number().nullable(),
  /** Calls per number (all calls dialtone heard of), most calls first. */
  numbers: z.array(
    z.object({
      id: z.string(),
      organizationId: z.string(),
      organizationName: z.string().nullable(),
      number: z.string().nullable(),
      activatedAt: z.string().nullable(),
      answeredFirstCallAt: z.string().nullable(),
      calls: z.number().int().nonnegative(),
      failing: z.boolean(),
    }),
  ),
})
export type CallStats = z.infer<typeof callStatsSchema>
