/** Retry-After as milliseconds from `now`: either delta-seconds ("1", "2.5") or an HTTP date; null if absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null
  const trimmed = header.trim()
  if (trimmed === '') return null
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  // An HTTP date names its month ("Thu, 01 Jan 2026 00:00:30 GMT"); bare numbers like "-1" are not dates.
  if (!/[a-z]/i.test(trimmed)) return null
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return null
  return Math.max(0, at - now)
}
