import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { createCoalescedEmitter } from './coalesced-emitter.ts'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

test('the first value goes out at once and a burst after it becomes one trailing call with the latest value', () => {
  const emitted: number[] = []
  const tell = createCoalescedEmitter(
    1_000,
    (value: number) => emitted.push(value),
    () => Date.now(),
  )
  tell(1)
  expect(emitted).toEqual([1])
  for (let value = 2; value <= 50; value++) tell(value)
  expect(emitted).toEqual([1])
  vi.advanceTimersByTime(999)
  expect(emitted).toEqual([1])
  vi.advanceTimersByTime(1)
  expect(emitted).toEqual([1, 50])
  vi.advanceTimersByTime(5_000)
  expect(emitted).toEqual([1, 50])
})

test('never more than one call per interval under a steady stream, and nothing is lost at the end', () => {
  const emittedAt: number[] = []
  let last = 0
  const tell = createCoalescedEmitter(
    1_000,
    (value: number) => {
      emittedAt.push(Date.now())
      last = value
    },
    () => Date.now(),
  )
  for (let value = 1; value <= 1_000; value++) {
    tell(value)
    vi.advanceTimersByTime(7)
  }
  vi.advanceTimersByTime(1_000)
  expect(last).toBe(1_000)
  for (let index = 1; index < emittedAt.length; index++) {
    expect((emittedAt[index] ?? 0) - (emittedAt[index - 1] ?? 0)).toBeGreaterThanOrEqual(1_000)
  }
  // 7 s of changes: about one call per second, not one per change.
  expect(emittedAt.length).toBeGreaterThanOrEqual(7)
  expect(emittedAt.length).toBeLessThanOrEqual(9)
})

test('a value after a quiet interval goes out at once again', () => {
  const emitted: string[] = []
  const tell = createCoalescedEmitter(
    1_000,
    (value: string) => emitted.push(value),
    () => Date.now(),
  )
  tell('a')
  vi.advanceTimersByTime(1_500)
  tell('b')
  expect(emitted).toEqual(['a', 'b'])
})
