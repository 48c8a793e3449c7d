import type { ProvisioningStats } from '@dialtone/shared/provisioning-stats'

export type StatsBucket = ProvisioningStats['range']['bucket']

export type StatsPreset = '24h' | '7d' | '30d'

/** What the admin picked: a rolling preset (re-read against the clock on every fetch) or fixed UTC bounds. */
export type StatsRangeChoice =
  | { kind: 'preset'; preset: StatsPreset; organizationId?: string }
  | { kind: 'custom'; from: string; to: string; bucket: StatsBucket; organizationId?: string }

export const presets: { preset: StatsPreset; label: string; spanMs: number; bucket: StatsBucket }[] = [
  { preset: '24h', label: '24 hours', spanMs: 24 * 3_600_000, bucket: 'hour' },
  { preset: '7d', label: '7 days', spanMs: 7 * 86_400_000, bucket: 'day' },
  { preset: '30d', label: '30 days', spanMs: 30 * 86_400_000, bucket: 'day' },
]

/** The query string for the API; presets are resolved against `now` at fetch time, so refetches roll forward. */
export function toStatsSearchParams(choice: StatsRangeChoice, now: Date): URLSearchParams {
  const params = new URLSearchParams()
  if (choice.kind === 'preset') {
    const preset = presets.find((candidate) => candidate.preset === choice.preset) ?? presets[0]!
    params.set('from', new Date(now.getTime() - preset.spanMs).toISOString())
    params.set('to', now.toISOString())
    params.set('bucket', preset.bucket)
  } else {
    params.set('from', choice.from)
    params.set('to', choice.to)
    params.set('bucket', choice.bucket)
  }
  if (choice.organizationId) params.set('organizationId', choice.organizationId)
  return params
}

/** `<input type="datetime-local">` gives wall-clock text with no zone; this page reads and writes it as UTC. */
export function utcInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null
  const time = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`)
  return Number.isNaN(time) ? null : new Date(time).toISOString()
}

export function isoToUtcInput(iso: string): string {
  return iso.slice(0, 16)
}
