import type { Context, Env } from 'hono'
import { createMiddleware } from 'hono/factory'
import { AppError } from '../lib/app-error.ts'
import type { Clock } from '../lib/clock.ts'
import { consumeRateLimit, type RateLimitRule, type RateLimitStore } from './rate-limit-store.ts'

export interface RateLimitDeps {
  store: RateLimitStore
  clock: Clock
}

/**
 * Counts one hit per request against `rule` for the subject `subjectOf` names (null: not limited) and answers
 * 429 with Retry-After once the subject is over it. Counted in the shared store, so every process agrees.
 */
export function limitRequests<E extends Env>(
  deps: RateLimitDeps,
  rule: RateLimitRule,
  subjectOf: (c: Context<E>) => string | null | Promise<string | null>,
  describe: (input: { count: number; windowSeconds: number; retryAfterSeconds: number }) => string,
) {
  return createMiddleware<E>(async (c, next) => {
    const subject = await subjectOf(c)
    if (subject !== null) {
      const verdict = await consumeRateLimit(deps.store, rule, subject, deps.clock.now())
      if (verdict.isLimited) {
        const windowSeconds = Math.round(rule.windowMs / 1000)
        throw new AppError(
          'RATE_LIMITED',
          describe({ count: verdict.count, windowSeconds, retryAfterSeconds: verdict.retryAfterSeconds }),
          { limit: rule.max, windowSeconds, scope: rule.name },
          verdict.retryAfterSeconds,
        )
      }
    }
    await next()
  })
}

/**
 * "Check all pending" asks Vapi once per pending number: a few a minute per organisation is plenty for a person,
 * and keeps one organisation's clicking from filling the Vapi account's queue.
 */
export const checkAllRateLimit: RateLimitRule = { name: 'check-all:organization', max: 4, windowMs: 60_000 }
