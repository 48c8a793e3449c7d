import { expect, test } from 'vitest'
import { assignmentWindowPollSchedule, nextCheckDelayMs, pollSchedule } from './poll-schedule.ts'

const middle = () => 0.5

test('a steady phase checks at an even step, then grows from that step to the cap', () => {
  const delays = Array.from({ length: 18 }, (_, index) =>
    nextCheckDelayMs(index + 1, middle, assignmentWindowPollSchedule),
  )
  expect(delays).toEqual([...Array<number>(11).fill(2_500), 3_750, 5_625, 8_438, 12_656, 18_984, 28_477, 30_000])
})

test('the steady window covers the 5–30 s in which Vapi usually assigns, with under a dozen checks', () => {
  const { firstCheckDelayMs, steadyChecks, steadyStepMs } = assignmentWindowPollSchedule
  expect(firstCheckDelayMs).toBeGreaterThan(5_000)
  expect(firstCheckDelayMs + steadyChecks * steadyStepMs).toBeGreaterThanOrEqual(30_000)
  expect(steadyChecks + 1).toBeLessThanOrEqual(12)
})

test('without a steady phase the default schedule is unchanged', () => {
  expect(pollSchedule.steadyChecks).toBe(0)
  expect(nextCheckDelayMs(1, middle)).toBe(nextCheckDelayMs(1, middle, pollSchedule))
  expect(nextCheckDelayMs(4, middle)).toBe(6_750)
})
