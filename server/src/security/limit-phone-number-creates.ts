import type { Kysely } from 'kysely'
import { createMiddleware } from 'hono/factory'
import type { ViewerVariables } from '../http/require-viewer.ts'
import type { Database } from '../db/schema.ts'
import { AppError } from '../lib/app-error.ts'
import type { Clock } from '../lib/clock.ts'
import { countAttemptsSince } from './attempt-rate-repository.ts'

export interface CreateRateLimit {
  /** Creates that reach Vapi, per organisation, within windowMs. */
  max: number
  windowMs: number
}

/** Enough for a person clicking, and for a script that paces itself; a runaway loop stops within a minute. */
export const defaultCreateRateLimit: CreateRateLimit = { max: 30, windowMs: 60_000 }

/**
 * Every create buys something at Vapi, so one organisation (a stolen session, a looping script) may not buy
 * without bound. Counted from the attempts table rather than in memory, so the limit holds across processes
 * and restarts. Concurrent requests can overshoot by the number in flight; the Vapi client's rate limit bounds
 * the rest.
 */
export function limitPhoneNumberCreates(deps: { db: Kysely<Database>; clock: Clock; limit: CreateRateLimit }) {
  return createMiddleware<{ Variables: ViewerVariables }>(async (c, next) => {
    const now = deps.clock.now()
    const { count, oldest } = await countAttemptsSince(deps.db, {
      organizationId: c.get('viewer').organizationId,
      since: new Date(now.getTime() - deps.limit.windowMs),
    })
    if (count >= deps.limit.max) {
      const freesAt = (oldest?.getTime() ?? now.getTime()) + deps.limit.windowMs
      const retryAfterSeconds = Math.max(1, Math.ceil((freesAt - now.getTime()) / 1000))
      throw new AppError(
        'RATE_LIMITED',
        `Your organisation asked for ${count} numbers in the last ${Math.round(deps.limit.windowMs / 1000)} seconds, the most allowed. Try again in ${retryAfterSeconds} s.`,
        { limit: deps.limit.max, windowSeconds: Math.round(deps.limit.windowMs / 1000) },
        retryAfterSeconds,
      )
    }
    await next()
  })
}
