import type { ProvisioningStats } from '@dialtone/shared/provisioning-stats'
import { orderFailureReasons } from './stats-format.ts'

type Cell = string | number | null

/** RFC 4180: quote a cell when it holds a comma, quote or line break; a leading = + - @ is defused for spreadsheets. */
function toCsvCell(value: Cell): string {
  if (value === null) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** A byte-order mark first: without it Excel reads UTF-8 as the local code page and garbles "Café Zoë". */
const utf8ByteOrderMark = '\uFEFF'

function toCsv(rows: readonly (readonly Cell[])[]): string {
  return utf8ByteOrderMark + rows.map((row) => row.map(toCsvCell).join(',')).join('\r\n') + '\r\n'
}

function reasonsIn(rows: readonly { failuresByReason: Record<string, number> }[]): string[] {
  return orderFailureReasons(rows.flatMap((row) => Object.keys(row.failuresByReason)))
}

/** One line per bucket, as charted: counts, rate, time to live and failures by reason. */
export function bucketsToCsv(stats: ProvisioningStats): string {
  const reasons = reasonsIn(stats.buckets)
  return toCsv([
    [
      'bucket_start_utc',
      'attempts',
      'succeeded',
      'failed',
      'success_rate',
      'p50_seconds',
      'p90_seconds',
      'p99_seconds',
      ...reasons.map((reason) => `failed_${reason}`),
    ],
    ...stats.buckets.map((bucket) => [
      bucket.start,
      bucket.attempts,
      bucket.succeeded,
      bucket.failed,
      bucket.successRate,
      bucket.timeToLive.p50Seconds,
      bucket.timeToLive.p90Seconds,
      bucket.timeToLive.p99Seconds,
      ...reasons.map((reason) => bucket.failuresByReason[reason] ?? 0),
    ]),
  ])
}

/** The organisation table as shown. */
export function organizationsToCsv(stats: ProvisioningStats): string {
  const reasons = reasonsIn(stats.organizations)
  return toCsv([
    [
      'organization_id',
      'organization_name',
      'attempts',
      'succeeded',
      'live_now',
      'failed',
      'success_rate',
      ...reasons.map((reason) => `failed_${reason}`),
    ],
    ...stats.organizations.map((organization) => [
      organization.id,
      organization.name,
      organization.attempts,
      organization.succeeded,
      organization.liveNow,
      organization.failed,
      organization.successRate,
      ...reasons.map((reason) => organization.failuresByReason[reason] ?? 0),
    ]),
  ])
}

export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.append(link)
  link.click()
  link.remove()
  // The click has handed the blob to the download; the URL can go once this task is done.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
