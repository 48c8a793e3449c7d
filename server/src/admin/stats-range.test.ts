import { expect, test } from 'vitest'
import { AppError } from '../lib/app-error.ts'
import { mergeIntoSpans } from './provisioning-stats-rollup-repository.ts'
import { countBuckets, hourMs, maxBuckets, planRangeParts, resolveStatsRange } from './stats-range.ts'

const at = (iso: string) => new Date(iso)
const span = (from: string, to: string) => ({ from: at(from), to: at(to) })
const now = at('2025-03-10T12:34:56Z')

test('defaults: the last 24 hours by the hour, the last 30 days by the day', () => {
  expect(resolveStatsRange({ bucket: 'hour' }, now)).toEqual({
    from: at('2025-03-09T12:34:56Z'),
    to: now,
    bucket: 'hour',
  })
  expect(resolveStatsRange({ bucket: 'day' }, now)).toEqual({
    from: at('2025-02-08T12:34:56Z'),
    to: now,
    bucket: 'day',
  })
  expect(resolveStatsRange({ bucket: 'day', to: '2025-01-31T00:00:00Z', organizationId: 'org' }, now)).toEqual({
    from: at('2025-01-01T00:00:00Z'),
    to: at('2025-01-31T00:00:00Z'),
    bucket: 'day',
    organizationId: 'org',
  })
})

test('a range must start before it ends and fit in 2,000 buckets', () => {
  expect(() => resolveStatsRange({ bucket: 'hour', from: '2025-03-11T00:00:00Z' }, now)).toThrow(AppError)
  const longest = {
    bucket: 'hour' as const,
    from: '2025-01-01T00:00:00Z',
    to: new Date(Date.parse('2025-01-01T00:00:00Z') + maxBuckets * 3_600_000).toISOString(),
  }
  expect(countBuckets({ from: at(longest.from), to: at(longest.to), bucket: 'hour' })).toBe(maxBuckets)
  expect(() => resolveStatsRange(longest, now)).not.toThrow()
  const tooLong = { ...longest, to: new Date(Date.parse(longest.to) + 1).toISOString() }
  expect(() => resolveStatsRange(tooLong, now)).toThrow(/2001 hour buckets; the most is 2000/)
  expect(countBuckets({ from: at('2025-03-09T22:15:00Z'), to: at('2025-03-10T02:45:00Z'), bucket: 'hour' })).toBe(5)
})

test('ragged edges are read raw, whole hours from hour rollups, whole days from day rollups when bucketing by day', () => {
  expect(planRangeParts({ ...span('2025-03-08T20:30:00Z', '2025-03-11T06:15:00Z'), bucket: 'day' })).toEqual({
    raw: [span('2025-03-08T20:30:00Z', '2025-03-08T21:00:00Z'), span('2025-03-11T06:00:00Z', '2025-03-11T06:15:00Z')],
    hours: [span('2025-03-08T21:00:00Z', '2025-03-09T00:00:00Z'), span('2025-03-11T00:00:00Z', '2025-03-11T06:00:00Z')],
    days: [span('2025-03-09T00:00:00Z', '2025-03-11T00:00:00Z')],
  })
  expect(planRangeParts({ ...span('2025-03-08T20:30:00Z', '2025-03-11T06:15:00Z'), bucket: 'hour' })).toEqual({
    raw: [span('2025-03-08T20:30:00Z', '2025-03-08T21:00:00Z'), span('2025-03-11T06:00:00Z', '2025-03-11T06:15:00Z')],
    hours: [span('2025-03-08T21:00:00Z', '2025-03-11T06:00:00Z')],
    days: [],
  })
  expect(planRangeParts({ ...span('2025-03-01T00:00:00Z', '2025-03-05T00:00:00Z'), bucket: 'day' })).toEqual({
    raw: [],
    hours: [],
    days: [span('2025-03-01T00:00:00Z', '2025-03-05T00:00:00Z')],
  })
  // Within one hour everything is read from the attempts; one organisation reads its own rollup rows like everyone's.
  expect(planRangeParts({ ...span('2025-03-08T20:10:00Z', '2025-03-08T20:50:00Z'), bucket: 'hour' })).toEqual({
    raw: [span('2025-03-08T20:10:00Z', '2025-03-08T20:50:00Z')],
    hours: [],
    days: [],
  })
  expect(
    planRangeParts({ ...span('2025-03-01T00:00:00Z', '2025-03-05T00:00:00Z'), bucket: 'day', organizationId: 'org' }),
  ).toEqual({ raw: [], hours: [], days: [span('2025-03-01T00:00:00Z', '2025-03-05T00:00:00Z')] })
})

test('dirty hours merge into spans of consecutive hours, duplicates and all', () => {
  const hours = [
    '2025-03-10T05:00:00Z',
    '2025-03-10T03:00:00Z',
    '2025-03-10T04:00:00Z',
    '2025-03-10T04:00:00Z',
    '2025-03-10T09:00:00Z',
  ]
  expect(mergeIntoSpans(hours.map(at), hourMs)).toEqual([
    span('2025-03-10T03:00:00Z', '2025-03-10T06:00:00Z'),
    span('2025-03-10T09:00:00Z', '2025-03-10T10:00:00Z'),
  ])
  expect(mergeIntoSpans([], hourMs)).toEqual([])
})
