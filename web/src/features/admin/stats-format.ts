import { failureReasons } from '@dialtone/shared/provisioning-stats'

/** Words and a colour for each failure reason; charts always print the words next to the colour. */
export const failureReasonLabels: Record<string, string> = {
  area_code_unavailable: 'Area code unavailable',
  vapi_rejected: 'Vapi rejected',
  vapi_unauthorized: 'Vapi key refused',
  vapi_unavailable: 'Vapi unavailable',
  vapi_rate_limited: 'Vapi rate limit',
  rolled_back: 'Rolled back',
  blocked: 'Blocked by Vapi',
  deleted_at_vapi: 'Deleted at Vapi',
  deadline_exceeded: 'Not assigned in time',
}

// Okabe–Ito, a palette that stays distinguishable for the common kinds of colour blindness.
const reasonColours: Record<string, string> = {
  area_code_unavailable: '#E69F00',
  vapi_rejected: '#D55E00',
  vapi_unauthorized: '#CC79A7',
  vapi_unavailable: '#56B4E9',
  vapi_rate_limited: '#0072B2',
  rolled_back: '#8C8C8C',
  blocked: '#3D3D3D',
  deleted_at_vapi: '#B8A200',
  deadline_exceeded: '#009E73',
}

export function describeFailureReason(reason: string): string {
  return failureReasonLabels[reason] ?? reason.replaceAll('_', ' ')
}

export function colourOfFailureReason(reason: string): string {
  return reasonColours[reason] ?? '#6B4E9B'
}

/** Known reasons in their usual order first, then anything newer the server reports. */
export function orderFailureReasons(reasons: Iterable<string>): string[] {
  const present = new Set(reasons)
  const known: string[] = failureReasons.filter((reason) => present.has(reason))
  return [...known, ...[...present].filter((reason) => !known.includes(reason)).sort()]
}

export function formatPercent(rate: number | null): string {
  if (rate === null) return '—'
  const percent = rate * 100
  return `${percent >= 99.95 || percent < 0.05 ? percent.toFixed(0) : percent.toFixed(1)}%`
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-US')
}

/** "8 s", "18.5 s", "2 min 05 s", "1 h 04 min"; null reads as a dash. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '—'
  // Interpolated percentiles are doubles (34.99999…): one decimal at most, and none when it is zero.
  const tenths = Math.round(seconds * 10) / 10
  if (tenths < 60) return `${Number.isInteger(tenths) ? tenths : tenths.toFixed(1)} s`
  const whole = Math.round(seconds)
  const minutes = Math.floor(whole / 60)
  if (minutes < 60) return `${minutes} min ${String(whole % 60).padStart(2, '0')} s`
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}

const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const twoDigits = (value: number) => String(value).padStart(2, '0')

/** Axis label of a bucket start, in UTC like the buckets themselves: "14:00" by the hour, "9 Mar" by the day. */
export function formatBucketTick(start: string, bucket: 'hour' | 'day'): string {
  const date = new Date(start)
  if (bucket === 'day') return `${date.getUTCDate()} ${month[date.getUTCMonth()]}`
  return `${twoDigits(date.getUTCHours())}:00`
}

/** Tooltip heading of a bucket: "Mon 10 Mar, 14:00–15:00 UTC" or "Mon 10 Mar UTC". */
export function formatBucketSpan(start: string, bucket: 'hour' | 'day'): string {
  const date = new Date(start)
  const day = `${weekday[date.getUTCDay()]} ${date.getUTCDate()} ${month[date.getUTCMonth()]}`
  if (bucket === 'day') return `${day} UTC`
  const hour = date.getUTCHours()
  return `${day}, ${twoDigits(hour)}:00–${twoDigits((hour + 1) % 24)}:00 UTC`
}

/** "10 Mar 2025, 14:05 UTC" */
export function formatInstant(iso: string): string {
  const date = new Date(iso)
  return `${date.getUTCDate()} ${month[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())} UTC`
}
