import { expect, test } from 'vitest'
import { createTokenBucket } from './token-bucket.ts'

test('a full bucket lets `rate` calls through at once, then one per 1/rate seconds, in order', async () => {
  let now = 0
  const waits: number[] = []
  const bucket = createTokenBucket({
    ratePerSecond: 4,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms)
    },
  })
  for (let call = 0; call < 7; call++) await bucket.take()
  // 4 free, then the 5th, 6th and 7th reserve tokens 250, 500 and 750 ms ahead.
  expect(waits).toEqual([250, 500, 750])
  now = 2_000
  waits.length = 0
  await bucket.take()
  expect(waits).toEqual([])
})

test('a rate below one per second still lets one call through at a time', async () => {
  let now = 0
  const waits: number[] = []
  const bucket = createTokenBucket({ ratePerSecond: 0.5, now: () => now, sleep: async (ms) => void waits.push(ms) })
  await bucket.take()
  await bucket.take()
  expect(waits).toEqual([2_000])
  now = 10_000
  await bucket.take()
  expect(waits).toEqual([2_000])
  expect(() => createTokenBucket({ ratePerSecond: 0 })).toThrow()
})
