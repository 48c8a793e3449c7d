import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/** How many hits a key has had in its current window, and when that window ends. */
export interface RateLimitCount {
  count: number
  resetAt: Date
}

/**
 * Where limits are counted: in Postgres (or Redis when REDIS_URL is set), never in one process's memory, so every
 * web process behind a load balancer counts the same hits. Fixed windows: the first hit of a key opens a window of
 * windowMs; hits after it closes start a new one.
 */
export interface RateLimitStore {
  readonly kind: 'postgres' | 'redis'
  /** Counts one hit of `key` atomically and answers the count so far in its window. */
  hit(key: string, windowMs: number, now: Date): Promise<RateLimitCount>
  close(): Promise<void>
}

export function createPostgresRateLimitStore(db: Kysely<Database>): RateLimitStore {
  return {
    kind: 'postgres',
    async hit(key, windowMs, now) {
      // One statement under the row's lock: two processes hitting the same key at once both count.
      const isExpired = sql<boolean>`rate_limit_counter.window_started_at <= ${new Date(now.getTime() - windowMs)}`
      const row = await db
        .insertInto('rate_limit_counter')
        .values({ key, window_started_at: now, window_ms: windowMs, count: 1 })
        .onConflict((conflict) =>
          conflict.column('key').doUpdateSet({
            count: sql<number>`case when ${isExpired} then 1 else rate_limit_counter.count + 1 end`,
            window_started_at: sql<Date>`case when ${isExpired} then ${now} else rate_limit_counter.window_started_at end`,
            window_ms: windowMs,
          }),
        )
        .returning(['count', 'window_started_at'])
        .executeTakeFirstOrThrow()
      return { count: row.count, resetAt: new Date(new Date(row.window_started_at).getTime() + windowMs) }
    },
    close: async () => {},
  }
}

/** Counters whose window closed more than a minute ago; run by the worker's housekeeping. */
export async function deleteExpiredRateLimitCounters(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('rate_limit_counter')
    .where(sql<boolean>`window_started_at + window_ms * interval '1 millisecond' < ${new Date(now.getTime() - 60_000)}`)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function connectRedisRateLimitStore(
  url: string,
  options: { prefix?: string; onError?: (error: unknown) => void } = {},
): Promise<RateLimitStore> {
  // Loaded only with REDIS_URL (see socket-adapter.ts).
  const { createClient } = await import('redis')
  const client = createClient({ url })
  client.on('error', options.onError ?? (() => {}))
  await client.connect()
  const prefix = options.prefix ?? 'dialtone:rate-limit:'
  return {
    kind: 'redis',
    async hit(key, windowMs, now) {
      const redisKey = `${prefix}${key}`
      // The expiry is set only by the hit that opened the window (NX), so later hits do not stretch it.
      const [count, , ttlMs] = await client
        .multi()
        .incr(redisKey)
        .pExpire(redisKey, windowMs, 'NX')
        .pTTL(redisKey)
        .exec()
      return {
        count: Number(count),
        resetAt: new Date(now.getTime() + (Number(ttlMs) > 0 ? Number(ttlMs) : windowMs)),
      }
    },
    close: async () => {
      await client.quit()
    },
  }
}

export interface RateLimitRule {
  /** Part of the key and of the log line: what is limited (e.g. 'sign-in:account'). */
  name: string
  max: number
  windowMs: number
}

export interface RateLimitVerdict {
  isLimited: boolean
  count: number
  /** Whole seconds until the window ends (at least 1). */
  retryAfterSeconds: number
}

/** Counts one hit of `rule` for `subject` and says whether it is over the rule's maximum. */
export async function consumeRateLimit(
  store: RateLimitStore,
  rule: RateLimitRule,
  subject: string,
  now: Date,
): Promise<RateLimitVerdict> {
  const { count, resetAt } = await store.hit(`${rule.name}:${subject}`, rule.windowMs, now)
  return {
    isLimited: count > rule.max,
    count,
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000)),
  }
}
