import { expect, test } from 'vitest'
import { parseRetryAfter } from './retry-after.ts'

test('Retry-After in seconds or as an HTTP date becomes milliseconds', () => {
  const now = Date.parse('2026-01-01T00:00:00.000Z')
  expect(parseRetryAfter('1', now)).toBe(1_000)
  expect(parseRetryAfter(' 2.5 ', now)).toBe(2_500)
  expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000)
  expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0)
})

test('a missing or unreadable Retry-After is null, not a guess', () => {
  expect(parseRetryAfter(null)).toBeNull()
  expect(parseRetryAfter('')).toBeNull()
  expect(parseRetryAfter('soon')).toBeNull()
  expect(parseRetryAfter('-1')).toBeNull()
})
