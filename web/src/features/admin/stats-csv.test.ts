import type { ProvisioningStats } from '@dialtone/shared/provisioning-stats'
import { expect, test } from 'vitest'
import { bucketsToCsv, organizationsToCsv } from './stats-csv.ts'

const noTimes = { p50Seconds: null, p90Seconds: null, p99Seconds: null }
const stats: ProvisioningStats = {
  range: { from: '2025-03-10T00:00:00.000Z', to: '2025-03-10T02:00:00.000Z', bucket: 'hour' },
  totals: {
    attempts: 3,
    succeeded: 1,
    failed: 2,
    successRate: 1 / 3,
    failuresByReason: { blocked: 1, area_code_unavailable: 1 },
    pendingNow: 0,
    oldestPendingSeconds: null,
  },
  buckets: [
    {
      start: '2025-03-10T00:00:00.000Z',
      attempts: 3,
      succeeded: 1,
      failed: 2,
      successRate: 1 / 3,
      failuresByReason: { blocked: 1, area_code_unavailable: 1 },
      timeToLive: { p50Seconds: 12, p90Seconds: 12.5, p99Seconds: 30 },
    },
    {
      start: '2025-03-10T01:00:00.000Z',
      attempts: 0,
      succeeded: 0,
      failed: 0,
      successRate: null,
      failuresByReason: {},
      timeToLive: noTimes,
    },
  ],
  timeToLive: { p50Seconds: 12, p90Seconds: 12, p99Seconds: 12 },
  detectedBy: { webhook: 1, poll: 0, manual: 0 },
  areaCodes: [],
  organizations: [
    {
      id: 'org-1',
      name: 'Smith, "Sons" & Co',
      attempts: 2,
      succeeded: 1,
      failed: 1,
      successRate: 0.5,
      failuresByReason: { blocked: 1 },
      liveNow: 3,
    },
    {
      id: 'org-2',
      name: '=HYPERLINK("x")',
      attempts: 1,
      succeeded: 0,
      failed: 1,
      successRate: 0,
      failuresByReason: { area_code_unavailable: 1 },
      liveNow: 0,
    },
    {
      id: 'org-3',
      name: 'Café Zoë',
      attempts: 1,
      succeeded: 1,
      failed: 0,
      successRate: 1,
      failuresByReason: {},
      liveNow: 1,
    },
  ],
}

test('buckets: one line per bucket, empty ones too, reasons as columns in their usual order', () => {
  expect(bucketsToCsv(stats).split('\r\n')).toEqual([
    '\uFEFFbucket_start_utc,attempts,succeeded,failed,success_rate,p50_seconds,p90_seconds,p99_seconds,failed_area_code_unavailable,failed_blocked',
    '2025-03-10T00:00:00.000Z,3,1,2,0.3333333333333333,12,12.5,30,1,1',
    '2025-03-10T01:00:00.000Z,0,0,0,,,,,0,0',
    '',
  ])
})

test('organisations: names quoted when they hold commas or quotes, formulas defused', () => {
  expect(organizationsToCsv(stats).split('\r\n')).toEqual([
    '\uFEFForganization_id,organization_name,attempts,succeeded,live_now,failed,success_rate,failed_area_code_unavailable,failed_blocked',
    'org-1,"Smith, ""Sons"" & Co",2,1,3,1,0.5,0,1',
    `org-2,"'=HYPERLINK(""x"")",1,0,0,1,0,1,0`,
    'org-3,Café Zoë,1,1,1,0,1,0,0',
    '',
  ])
})

test('a CSV starts with a UTF-8 byte-order mark, so spreadsheets read non-ASCII names right', async () => {
  const bytes = new Uint8Array(await new Blob([organizationsToCsv(stats)]).arrayBuffer())
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toContain('Café Zoë')
})
