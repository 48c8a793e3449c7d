import type { ProvisioningStats } from '@dialtone/shared/provisioning-stats'
import { expect, test } from 'vitest'
import { chartData, chooseChartGrouping, groupBuckets, makeTickFormatter, pickTicks } from './chart-buckets.ts'

type Bucket = ProvisioningStats['buckets'][number]
const noTimes = { p50Seconds: null, p90Seconds: null, p99Seconds: null }
function day(start: string, overrides: Partial<Bucket> = {}): Bucket {
  return {
    start,
    attempts: 0,
    succeeded: 0,
    failed: 0,
    successRate: null,
    failuresByReason: {},
    timeToLive: noTimes,
    ...overrides,
  }
}

test('daily ranges up to three months are drawn as they are; longer ones by week, then by month', () => {
  expect(chooseChartGrouping('day', 92)).toBe('none')
  expect(chooseChartGrouping('day', 93)).toBe('week')
  expect(chooseChartGrouping('day', 730)).toBe('month')
  expect(chooseChartGrouping('hour', 24 * 30)).toBe('none')
})

test('groups sum counts and reasons exactly and recompute the rate; percentiles show the slowest bucket', () => {
  const rows = groupBuckets(
    [
      // Sunday 2 March 2025 belongs to the week of Monday 24 February.
      day('2025-03-02T00:00:00.000Z', { attempts: 2, succeeded: 1, failed: 1, failuresByReason: { blocked: 1 } }),
      day('2025-03-03T00:00:00.000Z', {
        attempts: 3,
        succeeded: 1,
        failed: 2,
        failuresByReason: { blocked: 1, vapi_rejected: 1 },
        timeToLive: { p50Seconds: 4, p90Seconds: 9, p99Seconds: 9 },
      }),
      day('2025-03-04T00:00:00.000Z', {
        attempts: 1,
        succeeded: 1,
        timeToLive: { p50Seconds: 6, p90Seconds: 6, p99Seconds: 6 },
      }),
    ],
    'week',
  )
  expect(rows.map((row) => row.start)).toEqual(['2025-02-24T00:00:00.000Z', '2025-03-03T00:00:00.000Z'])
  expect(rows[1]).toMatchObject({
    attempts: 4,
    succeeded: 2,
    failed: 2,
    successRate: 0.5,
    failuresByReason: { blocked: 1, vapi_rejected: 1 },
    timeToLive: { p50Seconds: 6, p90Seconds: 9, p99Seconds: 9 },
  })
})

test('tick labels carry the year when the range spans years, and the day when hours span days', () => {
  const acrossYears = ['2024-12-30T00:00:00.000Z', '2025-01-02T00:00:00.000Z']
  expect(makeTickFormatter(acrossYears, 'day', 'none')(acrossYears[1]!)).toBe('2 Jan 2025')
  expect(
    makeTickFormatter(
      ['2025-03-01T00:00:00.000Z', '2025-03-09T00:00:00.000Z'],
      'day',
      'none',
    )('2025-03-09T00:00:00.000Z'),
  ).toBe('9 Mar')
  expect(makeTickFormatter(acrossYears, 'day', 'month')('2025-01-01T00:00:00.000Z')).toBe('Jan 2025')
  const twoDays = ['2025-03-09T22:00:00.000Z', '2025-03-10T03:00:00.000Z']
  expect(makeTickFormatter(twoDays, 'hour', 'none')(twoDays[1]!)).toBe('10 Mar 03:00')
  expect(
    makeTickFormatter(
      ['2025-03-09T01:00:00.000Z', '2025-03-09T05:00:00.000Z'],
      'hour',
      'none',
    )('2025-03-09T05:00:00.000Z'),
  ).toBe('05:00')
})

test('two years by day: 25 monthly bars, labels that never repeat, the same ticks for every chart', () => {
  const buckets: Bucket[] = []
  for (let time = Date.UTC(2024, 0, 1); time < Date.UTC(2026, 0, 1); time += 86_400_000) {
    buckets.push(day(new Date(time).toISOString(), time === Date.UTC(2025, 5, 15) ? { attempts: 15 } : {}))
  }
  const stats = { range: { from: '', to: '', bucket: 'day' }, buckets } as unknown as ProvisioningStats
  const data = chartData(stats, (start) => start)
  expect(data.grouping).toBe('month')
  expect(data.rows).toHaveLength(24)
  expect(data.rows.reduce((sum, row) => sum + row.attempts, 0)).toBe(15)
  const labels = data.ticks.map(data.formatTick)
  expect(new Set(labels).size).toBe(labels.length)
  expect(labels[0]).toBe('Jan 2024')
  expect(pickTicks(data.rows.map((row) => row.start))).toEqual(data.ticks)
})
