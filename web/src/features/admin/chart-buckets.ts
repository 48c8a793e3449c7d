import type { ProvisioningStats } from '@dialtone/shared/provisioning-stats'

type Bucket = ProvisioningStats['buckets'][number]
export type ChartGrouping = 'none' | 'week' | 'month'

/** More daily bars than this turn into hairlines on a laptop screen: the charts group them. */
const maxDailyBars = 92
const maxWeeklyBars = 60
const targetTickCount = 7
const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const twoDigits = (value: number) => String(value).padStart(2, '0')

export interface ChartData {
  /** The buckets as drawn: the API's, or summed by week or month over a long range. */
  rows: Bucket[]
  grouping: ChartGrouping
  /** The same category values on every chart, so their labels line up. */
  ticks: string[]
  formatTick: (start: string) => string
  /** Tooltip heading of a drawn bucket. */
  formatSpan: (start: string) => string
}

export function chooseChartGrouping(bucket: 'hour' | 'day', bucketCount: number): ChartGrouping {
  if (bucket === 'hour' || bucketCount <= maxDailyBars) return 'none'
  return bucketCount / 7 <= maxWeeklyBars ? 'week' : 'month'
}

/** The UTC Monday or first of the month a day belongs to. */
function groupStart(start: string, grouping: 'week' | 'month'): string {
  const date = new Date(start)
  if (grouping === 'month') return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1)).toISOString()
  const daysSinceMonday = (date.getUTCDay() + 6) % 7
  return new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - daysSinceMonday),
  ).toISOString()
}

/**
 * Sums buckets into weeks or months. Counts and reasons add up exactly; the success rate is recomputed from
 * them. Percentiles cannot be summed, so a group shows its slowest bucket's (the chart's caption says so).
 */
export function groupBuckets(buckets: readonly Bucket[], grouping: ChartGrouping): Bucket[] {
  if (grouping === 'none') return [...buckets]
  const groups = new Map<string, Bucket>()
  for (const bucket of buckets) {
    const start = groupStart(bucket.start, grouping)
    const group = groups.get(start)
    if (!group) {
      groups.set(start, { ...bucket, start, failuresByReason: { ...bucket.failuresByReason } })
      continue
    }
    group.attempts += bucket.attempts
    group.succeeded += bucket.succeeded
    group.failed += bucket.failed
    for (const [reason, count] of Object.entries(bucket.failuresByReason)) {
      group.failuresByReason[reason] = (group.failuresByReason[reason] ?? 0) + count
    }
    group.timeToLive = {
      p50Seconds: slowest(group.timeToLive.p50Seconds, bucket.timeToLive.p50Seconds),
      p90Seconds: slowest(group.timeToLive.p90Seconds, bucket.timeToLive.p90Seconds),
      p99Seconds: slowest(group.timeToLive.p99Seconds, bucket.timeToLive.p99Seconds),
    }
  }
  return [...groups.values()].map((group) => ({
    ...group,
    successRate: group.succeeded + group.failed === 0 ? null : group.succeeded / (group.succeeded + group.failed),
  }))
}

function slowest(a: number | null, b: number | null): number | null {
  if (a === null) return b
  if (b === null) return a
  return Math.max(a, b)
}

/** Evenly spaced category values, the first always among them. */
export function pickTicks(starts: readonly string[], count = targetTickCount): string[] {
  if (starts.length <= count) return [...starts]
  const step = Math.ceil(starts.length / count)
  return starts.filter((_, index) => index % step === 0)
}

/**
 * Axis labels that never repeat: the year joins the day once the range spans more than one year, and the day
 * joins the hour once an hourly range spans more than one day.
 */
export function makeTickFormatter(
  starts: readonly string[],
  bucket: 'hour' | 'day',
  grouping: ChartGrouping,
): (start: string) => string {
  const first = starts[0] === undefined ? undefined : new Date(starts[0])
  const last = starts.at(-1) === undefined ? undefined : new Date(starts.at(-1)!)
  const spansYears = first !== undefined && last !== undefined && first.getUTCFullYear() !== last.getUTCFullYear()
  const spansDays =
    first !== undefined && last !== undefined && first.toISOString().slice(0, 10) !== last.toISOString().slice(0, 10)
  return (start) => {
    const date = new Date(start)
    const day = `${date.getUTCDate()} ${month[date.getUTCMonth()]}`
    const year = String(date.getUTCFullYear())
    if (grouping === 'month') return `${month[date.getUTCMonth()]} ${year}`
    if (bucket === 'day') return spansYears ? `${day} ${year}` : day
    const hour = `${twoDigits(date.getUTCHours())}:00`
    return spansDays ? `${day} ${hour}` : hour
  }
}

export function chartData(stats: ProvisioningStats, formatBucketSpan: (start: string) => string): ChartData {
  const bucket = stats.range.bucket
  const grouping = chooseChartGrouping(bucket, stats.buckets.length)
  const rows = groupBuckets(stats.buckets, grouping)
  const starts = rows.map((row) => row.start)
  const formatTick = makeTickFormatter(starts, bucket, grouping)
  return {
    rows,
    grouping,
    ticks: pickTicks(starts),
    formatTick,
    formatSpan:
      grouping === 'none'
        ? formatBucketSpan
        : (start) => (grouping === 'month' ? `${formatTick(start)} (UTC)` : `Week of ${formatTick(start)} (UTC)`),
  }
}

export function describeGrouping(grouping: ChartGrouping): string {
  return grouping === 'none' ? '' : ` Grouped by ${grouping} to stay readable; the bucket table and CSV keep every day.`
}
