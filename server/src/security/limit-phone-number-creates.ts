import type { Kysely } from 'kysely'
import { createMiddleware } from 'hono/factory'
import type { ViewerVariables } from '../http/require-viewer.ts'
import type { Database } from '../db/schema.ts'
import { AppError } from '../lib/app-error.ts'
import type { Clock } from '../lib/clock.ts'
import { countAttemptsSince, type AttemptScope } from './attempt-rate-repository.ts'

export interface CreateRateLimit {
  /** Creates that reach Vapi within windowMs. */
  max: number
  windowMs: number
}

/** Each scope's limit; a create must be within all three. */
export interface CreateRateLimits {
  perOrganization: CreateRateLimit
  /** Across every organisation the person belongs to or creates, so a new organisation does not reset it. */
  perUser: CreateRateLimit
  /** Everyone together: a bound on what dialtone spends at Vapi in a minute, whoever asks. */
  perPlatform: CreateRateLimit
}

/**
 * Enough for a person clicking, and for a script that paces itself; a runaway loop stops within a minute. The
 * platform's bound is what Vapi's default rate (5 requests/s) could buy in a minute anyway.
 */
export const defaultCreateRateLimits: CreateRateLimits = {
  perOrganization: { max: 30, windowMs: 60_000 },
  perUser: { max: 30, windowMs: 60_000 },
  perPlatform: { max: 300, windowMs: 60_000 },
}

const whose = {
  perOrganization: 'Your organisation',
  perUser: 'You',
  perPlatform: 'Everyone on dialtone together',
} as const

/**
 * Every create buys something at Vapi, so one organisation, one person (a stolen session, a looping script, a
 * user who makes organisation after organisation) and the platform as a whole may not buy without bound. Counted
 * from the attempts table rather than in memory, so the limits hold across processes and restarts. Concurrent
 * requests can overshoot by the number in flight; the Vapi limiter bounds the rest.
 */
export function limitPhoneNumberCreates(deps: { db: Kysely<Database>; clock: Clock; limits: CreateRateLimits }) {
  return createMiddleware<{ Variables: ViewerVariables }>(async (c, next) => {
    const viewer = c.get('viewer')
    const scopes: Record<keyof CreateRateLimits, AttemptScope> = {
      perOrganization: { organizationId: viewer.organizationId },
      perUser: { userId: viewer.userId },
      perPlatform: { platform: true },
    }
    const now = deps.clock.now()
    for (const name of ['perOrganization', 'perUser', 'perPlatform'] as const) {
      const limit = deps.limits[name]
      const { count, oldest } = await countAttemptsSince(deps.db, {
        scope: scopes[name],
        since: new Date(now.getTime() - limit.windowMs),
      })
      if (count < limit.max) continue
      const freesAt = (oldest?.getTime() ?? now.getTime()) + limit.windowMs
      const retryAfterSeconds = Math.max(1, Math.ceil((freesAt - now.getTime()) / 1000))
      const windowSeconds = Math.round(limit.windowMs / 1000)
      throw new AppError(
        'RATE_LIMITED',
        `${whose[name]} asked for ${count} numbers in the last ${windowSeconds} seconds, the most allowed. Try again in ${retryAfterSeconds} s.`,
        { limit: limit.max, windowSeconds, scope: name },
        retryAfterSeconds,
      )
    }
    await next()
  })
}
