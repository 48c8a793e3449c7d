import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { baseDelayMs, nextCheckDelayMs, pollSchedule, type PollSchedule } from './poll-schedule.ts'

const middle = () => 0.5

/** Seconds after creation of each of the first `count` checks, without jitter. */
function checkTimesSeconds(count: number, schedule: PollSchedule = pollSchedule): number[] {
  const times = [schedule.firstCheckDelayMs]
  while (times.length < count) times.push((times.at(-1) ?? 0) + baseDelayMs(times.length, schedule))
  return times.map((ms) => ms / 1000)
}

describe('the poll schedule', () => {
  test('one check at 2 s, then every 2.5 s through the 5–30 s window, then ×1.5 up to the 30 s cap', () => {
    expect(checkTimesSeconds(12)).toEqual([2, 7.5, 10, 12.5, 15, 17.5, 20, 22.5, 25, 27.5, 30, 32.5])
    const after = Array.from({ length: 8 }, (_, index) => nextCheckDelayMs(12 + index, middle))
    expect(after).toEqual([3_750, 5_625, 8_438, 12_656, 18_984, 28_477, 30_000, 30_000])
  })

  test('a number that takes the whole 15-minute deadline costs a bounded number of calls', () => {
    const times = checkTimesSeconds(60)
    const callsWithinDeadline = times.filter((seconds) => seconds <= 900).length
    expect(callsWithinDeadline).toBeLessThanOrEqual(45)
    expect(callsWithinDeadline).toBeGreaterThan(25)
  })

  test('without a window it is plain backoff from the first delay', () => {
    const plain: PollSchedule = { ...pollSchedule, windowChecks: 0 }
    const delays = Array.from({ length: 9 }, (_, index) => nextCheckDelayMs(index + 1, middle, plain))
    expect(delays).toEqual([2_000, 3_000, 4_500, 6_750, 10_125, 15_188, 22_781, 30_000, 30_000])
  })

  test('jitter stays within ±20 % of the schedule, reaching both ends', () => {
    expect(nextCheckDelayMs(2, () => 0)).toBe(2_000)
    expect(nextCheckDelayMs(2, () => 0.999_999_9)).toBe(3_000)
    expect(nextCheckDelayMs(50, () => 0)).toBe(24_000)
    expect(nextCheckDelayMs(50, () => 0.999_999_9)).toBe(36_000)
  })

  test('for any check count and draw: within the bounds, capped, and never shrinking once past the window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (count, draw) => {
          const base = baseDelayMs(count)
          const delay = nextCheckDelayMs(count, () => draw)
          expect(delay).toBeGreaterThanOrEqual(Math.floor(base * (1 - pollSchedule.jitter)))
          expect(delay).toBeLessThanOrEqual(Math.ceil(base * (1 + pollSchedule.jitter)))
          expect(delay).toBeLessThanOrEqual(pollSchedule.capMs * (1 + pollSchedule.jitter))
          if (count >= pollSchedule.windowChecks) {
            expect(nextCheckDelayMs(count + 1, () => draw)).toBeGreaterThanOrEqual(delay)
          }
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
