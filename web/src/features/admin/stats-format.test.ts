import { expect, test } from 'vitest'
import {
  describeFailureReason,
  formatBucketSpan,
  formatBucketTick,
  formatPercent,
  formatSeconds,
  orderFailureReasons,
} from './stats-format.ts'

test('percentages, seconds and dashes for nothing', () => {
  expect(formatPercent(null)).toBe('—')
  expect(formatPercent(1)).toBe('100%')
  expect(formatPercent(0)).toBe('0%')
  expect(formatPercent(6 / 13)).toBe('46.2%')
  expect(formatSeconds(null)).toBe('—')
  expect(formatSeconds(12)).toBe('12 s')
  expect(formatSeconds(97.5)).toBe('1 min 38 s')
  expect(formatSeconds(18.25)).toBe('18.3 s')
  expect(formatSeconds(34.99999999999999)).toBe('35 s')
  expect(formatSeconds(59.97)).toBe('1 min 00 s')
  expect(formatSeconds(3_840)).toBe('1 h 04 min')
})

test('buckets are labelled in UTC, whatever the browser’s zone', () => {
  expect(formatBucketTick('2025-03-09T23:00:00.000Z', 'hour')).toBe('23:00')
  expect(formatBucketTick('2025-03-09T00:00:00.000Z', 'day')).toBe('9 Mar')
  expect(formatBucketSpan('2025-03-09T23:00:00.000Z', 'hour')).toBe('Sun 9 Mar, 23:00–00:00 UTC')
  expect(formatBucketSpan('2025-03-10T00:00:00.000Z', 'day')).toBe('Mon 10 Mar UTC')
})

test('known failure reasons in their usual order and words, newer ones after them', () => {
  expect(orderFailureReasons(['blocked', 'something_new', 'area_code_unavailable'])).toEqual([
    'area_code_unavailable',
    'blocked',
    'something_new',
  ])
  expect(describeFailureReason('deadline_exceeded')).toBe('Not assigned in time')
  expect(describeFailureReason('something_new')).toBe('something new')
})
