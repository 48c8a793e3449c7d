import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { z } from 'zod'
import { AppError } from '../lib/app-error.ts'
import type { RateLimitDeps } from './rate-limit-middleware.ts'
import { consumeRateLimit, type RateLimitRule } from './rate-limit-store.ts'

export interface AuthRateLimits {
  /** Sign-ins to one account (email), from anywhere: a guesser is stopped without stopping its neighbours. */
  signInPerAccount: RateLimitRule
  /** Sign-ins from one client address, to any account: one address cannot guess across many accounts. */
  signInPerAddress: RateLimitRule
  signUpPerAddress: RateLimitRule
  /** Every other account-library call from one address, except get-session (the app asks it on every page). */
  otherPerAddress: RateLimitRule
}

const minute = 60_000

/**
 * Ten tries a minute at one account's password; thirty sign-ins a minute from one address (an office behind one
 * NAT signing in at nine o'clock), so a guesser's ten wrong passwords do not lock its neighbours out.
 */
export const defaultAuthRateLimits: AuthRateLimits = {
  signInPerAccount: { name: 'sign-in:account', max: 10, windowMs: minute },
  signInPerAddress: { name: 'sign-in:address', max: 30, windowMs: minute },
  signUpPerAddress: { name: 'sign-up:address', max: 10, windowMs: minute },
  otherPerAddress: { name: 'auth:address', max: 300, windowMs: minute },
}

const signInBodySchema = z.object({ email: z.string().max(320) })

/** The email a sign-in names, lower-cased; null when the body is not a sign-in the library would take. */
async function signInEmailOf(c: Context): Promise<string | null> {
  try {
    const parsed = signInBodySchema.safeParse(await c.req.raw.clone().json())
    return parsed.success ? parsed.data.email.trim().toLowerCase() : null
  } catch {
    return null
  }
}

/**
 * The account library's limits, counted in the shared store (every process together) and keyed on the client
 * address the trusted-proxy setting decides. Replaces the library's own per-process, per-peer limiter.
 */
export function limitAuthRequests(
  deps: RateLimitDeps & { limits: AuthRateLimits; clientAddressOf: (c: Context) => string | undefined },
) {
  return createMiddleware(async (c, next) => {
    const path = c.req.path.replace(/^\/api\/auth/, '')
    if (path === '/get-session') return next()
    const address = deps.clientAddressOf(c)
    const checks: [RateLimitRule, string][] = []
    if (c.req.method === 'POST' && path === '/sign-in/email') {
      const email = await signInEmailOf(c)
      if (email) checks.push([deps.limits.signInPerAccount, email])
      if (address) checks.push([deps.limits.signInPerAddress, address])
    } else if (c.req.method === 'POST' && path === '/sign-up/email') {
      if (address) checks.push([deps.limits.signUpPerAddress, address])
    } else if (address) {
      checks.push([deps.limits.otherPerAddress, address])
    }
    const now = deps.clock.now()
    for (const [rule, subject] of checks) {
      const verdict = await consumeRateLimit(deps.store, rule, subject, now)
      if (verdict.isLimited) {
        throw new AppError(
          'RATE_LIMITED',
          `Too many attempts; try again in ${verdict.retryAfterSeconds} s.`,
          { scope: rule.name },
          verdict.retryAfterSeconds,
        )
      }
    }
    await next()
  })
}
