import { randomUUID } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { createDatabase } from '../db/create-database.ts'
import { createScratchPostgres, createTestDatabase } from '../../test/support/test-databases.ts'
import { testDatabaseUrl, testRedisUrl } from '../../test/support/test-env.ts'
import {
  consumeRateLimit,
  createPostgresRateLimitStore,
  connectRedisRateLimitStore,
  deleteExpiredRateLimitCounters,
  type RateLimitStore,
} from './rate-limit-store.ts'

const rule = { name: 'test', max: 3, windowMs: 60_000 }
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms)

async function expectFixedWindows(store: RateLimitStore) {
  const subject = randomUUID()
  const verdicts = []
  for (let hit = 0; hit < 4; hit++) verdicts.push(await consumeRateLimit(store, rule, subject, at(hit * 1_000)))
  expect(verdicts.map((verdict) => verdict.isLimited)).toEqual([false, false, false, true])
  expect(verdicts[3]).toMatchObject({ count: 4 })
  // Another subject has a count of its own.
  expect(await consumeRateLimit(store, rule, randomUUID(), at(3_000))).toMatchObject({ count: 1, isLimited: false })
}

test('Postgres counts fixed windows per key and says when the window ends', async () => {
  const database = await createTestDatabase('pglite')
  try {
    const store = createPostgresRateLimitStore(database.db)
    await expectFixedWindows(store)
    const subject = randomUUID()
    await consumeRateLimit(store, rule, subject, at(0))
    expect(await consumeRateLimit(store, rule, subject, at(20_500))).toMatchObject({ count: 2, retryAfterSeconds: 40 })
    // The window closed: counting starts again.
    expect(await consumeRateLimit(store, rule, subject, at(60_000))).toMatchObject({ count: 1, retryAfterSeconds: 60 })
    expect(await deleteExpiredRateLimitCounters(database.db, at(60_000 + 61_000))).toBeGreaterThan(0)
    expect(await consumeRateLimit(store, rule, subject, at(121_000))).toMatchObject({ count: 1 })
  } finally {
    await database.close()
  }
})

describe.runIf(testDatabaseUrl)('two processes on one Postgres server', () => {
  test('hits from both count together, none lost when they race', async () => {
    const first = await createScratchPostgres(testDatabaseUrl ?? '', { label: 'ratelimit' })
    const second = await createDatabase({ kind: 'postgres', url: first.url })
    try {
      const stores = [createPostgresRateLimitStore(first.db), createPostgresRateLimitStore(second.db)]
      const subject = randomUUID()
      const verdicts = await Promise.all(
        Array.from({ length: 40 }, (_, hit) =>
          consumeRateLimit(stores[hit % 2] as RateLimitStore, { ...rule, max: 30 }, subject, at(hit)),
        ),
      )
      expect(verdicts.map((verdict) => verdict.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 40 }, (_, index) => index + 1),
      )
      expect(verdicts.filter((verdict) => verdict.isLimited)).toHaveLength(10)
    } finally {
      await second.close()
      await first.close()
    }
  })
})

describe.runIf(testRedisUrl)('Redis, when REDIS_URL is set', () => {
  test('counts fixed windows per key, shared by every client', async () => {
    const prefix = `dialtone-test:${randomUUID()}:`
    const stores = await Promise.all([1, 2].map(() => connectRedisRateLimitStore(testRedisUrl ?? '', { prefix })))
    const [first, second] = stores
    try {
      await expectFixedWindows(first as RateLimitStore)
      const subject = randomUUID()
      const verdicts = await Promise.all(
        Array.from({ length: 10 }, (_, hit) =>
          consumeRateLimit((hit % 2 ? first : second) as RateLimitStore, rule, subject, new Date()),
        ),
      )
      expect(Math.max(...verdicts.map((verdict) => verdict.count))).toBe(10)
      expect(verdicts.every((verdict) => verdict.retryAfterSeconds <= 60)).toBe(true)
    } finally {
      await Promise.all(stores.map((store) => store.close()))
    }
  })
})
