import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { nextCheckDelayMs, pollSchedule } from './poll-schedule.ts'

const middle = () => 0.5

describe('nextCheckDelayMs', () => {
  test('starts at 2 s, grows by half each check and stops at the 30 s cap', () => {
    const delays = Array.from({ length: 12 }, (_, index) => nextCheckDelayMs(index + 1, middle))
    expect(delays).toEqual([2_000, 3_000, 4_500, 6_750, 10_125, 15_188, 22_781, 30_000, 30_000, 30_000, 30_000, 30_000])
  })

  test('jitter stays within ±20 % of the schedule, reaching both ends', () => {
    expect(nextCheckDelayMs(1, () => 0)).toBe(1_600)
    expect(nextCheckDelayMs(1, () => 0.999_999_9)).toBe(2_400)
    expect(nextCheckDelayMs(50, () => 0)).toBe(24_000)
    expect(nextCheckDelayMs(50, () => 0.999_999_9)).toBe(36_000)
  })

  test('for any check count and any random draw: within the bounds, never shrinking as checks add up', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (count, draw) => {
          const base = Math.min(
            pollSchedule.capMs,
            pollSchedule.firstCheckDelayMs * pollSchedule.growthFactor ** Math.max(0, count - 1),
          )
          const delay = nextCheckDelayMs(count, () => draw)
          expect(delay).toBeGreaterThanOrEqual(Math.floor(base * (1 - pollSchedule.jitter)))
          expect(delay).toBeLessThanOrEqual(Math.ceil(base * (1 + pollSchedule.jitter)))
          expect(delay).toBeLessThanOrEqual(pollSchedule.capMs * (1 + pollSchedule.jitter))
          // With the same draw, a later check never comes sooner than an earlier one.
          expect(nextCheckDelayMs(count + 1, () => draw)).toBeGreaterThanOrEqual(delay)
        },
      ),
    )
  })

  test('numbers created together spread out instead of polling in lockstep', () => {
    let seed = 42
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed / 2 ** 31
    }
    const delays = new Set(Array.from({ length: 100 }, () => nextCheckDelayMs(3, random)))
    expect(delays.size).toBeGreaterThan(50)
  })
})
