import { expect, test } from 'vitest'
import { parseRetryAfter } from './request-json.ts'

test('Retry-After in seconds is rounded up', () => {
  expect(parseRetryAfter('2.2')).toBe(3)
  expect(parseRetryAfter('0')).toBe(0)
})

test('Retry-After as an HTTP date is turned into seconds from now', () => {
  const now = Date.parse('2026-01-01T00:00:00Z')
  expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30)
})

test('a missing or unreadable Retry-After is null', () => {
  expect(parseRetryAfter(null)).toBeNull()
  expect(parseRetryAfter('soon')).toBeNull()
})
