import type { ProvisioningStatsQuery } from '@dialtone/shared/provisioning-stats'
import { AppError } from '../lib/app-error.ts'

export type StatsBucket = 'hour' | 'day'

export interface StatsRange {
  from: Date
  to: Date
  bucket: StatsBucket
  organizationId?: string
}

export interface TimeSpan {
  from: Date
  to: Date
}

export const hourMs = 60 * 60 * 1000
export const dayMs = 24 * hourMs
export const bucketMs: Record<StatsBucket, number> = { hour: hourMs, day: dayMs }

/** More buckets than a chart can show and a request should cost; about 83 days by the hour. */
export const maxBuckets = 2000

const defaultSpanMs: Record<StatsBucket, number> = { hour: dayMs, day: 30 * dayMs }

// UTC hours and days start at multiples of their length since the epoch, so plain arithmetic finds boundaries.
export function floorTo(date: Date, unitMs: number): Date {
  return new Date(Math.floor(date.getTime() / unitMs) * unitMs)
}

export function ceilTo(date: Date, unitMs: number): Date {
  return new Date(Math.ceil(date.getTime() / unitMs) * unitMs)
}

/** How many buckets [from, to) spans: the first starts at or before `from`, the last before `to`. */
export function countBuckets(range: { from: Date; to: Date; bucket: StatsBucket }): number {
  const first = floorTo(range.from, bucketMs[range.bucket]).getTime()
  return Math.ceil((range.to.getTime() - first) / bucketMs[range.bucket])
}

/** Fills in the defaults (to = now; from = 24 hours or 30 days before `to`) and refuses ranges too long to chart. */
export function resolveStatsRange(query: ProvisioningStatsQuery, now: Date): StatsRange {
  const to = query.to ? new Date(query.to) : now
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - defaultSpanMs[query.bucket])
  if (from.getTime() >= to.getTime()) {
    throw new AppError('VALIDATION_FAILED', 'from: `from` must be before `to`.', {
      issues: [{ path: 'from', message: '`from` must be before `to`.' }],
    })
  }
  const buckets = countBuckets({ from, to, bucket: query.bucket })
  if (buckets > maxBuckets) {
    const message = `This range has ${buckets} ${query.bucket} buckets; the most is ${maxBuckets}. Pick a shorter range or bucket by day.`
    throw new AppError('VALIDATION_FAILED', message, { issues: [{ path: 'from', message }] })
  }
  return { from, to, bucket: query.bucket, ...(query.organizationId ? { organizationId: query.organizationId } : {}) }
}

/**
 * Splits [from, to) into the parts read from raw attempts (partial hours at the edges), from hour rollups, and from day rollups (whole UTC days, only when bucketing by day,
 * since a day row cannot be split into hours).
 */
export function planRangeParts(range: StatsRange): { raw: TimeSpan[]; hours: TimeSpan[]; days: TimeSpan[] } {
  const nonEmpty = (spans: TimeSpan[]) => spans.filter((span) => span.from.getTime() < span.to.getTime())
  const everythingRaw = { raw: [{ from: range.from, to: range.to }], hours: [], days: [] }
  const hourStart = ceilTo(range.from, hourMs)
  const hourEnd = floorTo(range.to, hourMs)
  if (hourStart.getTime() >= hourEnd.getTime()) return everythingRaw
  const raw = nonEmpty([
    { from: range.from, to: hourStart },
    { from: hourEnd, to: range.to },
  ])
  const dayStart = ceilTo(hourStart, dayMs)
  const dayEnd = floorTo(hourEnd, dayMs)
  if (range.bucket === 'hour' || dayStart.getTime() >= dayEnd.getTime()) {
    return { raw, hours: [{ from: hourStart, to: hourEnd }], days: [] }
  }
  return {
    raw,
    hours: nonEmpty([
      { from: hourStart, to: dayStart },
      { from: dayEnd, to: hourEnd },
    ]),
    days: [{ from: dayStart, to: dayEnd }],
  }
}
