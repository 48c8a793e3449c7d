import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../test/support/test-databases.ts'
import { getProvisioningStats } from './provisioning-stats-repository.ts'
import { refreshProvisioningStatsRollups } from './provisioning-stats-rollup-repository.ts'
import { insertHistory, insertOrganizations, type HistoryAttempt } from '../../test/support/test-history.ts'

const at = (iso: string) => new Date(iso)
const seconds = (value: number) => value * 1000
const now = at('2025-03-10T12:30:00Z')
/** Interpolated percentiles are doubles: equal to the hand-worked value to 9 decimals. */
const near = (value: number): unknown => expect.closeTo(value, 9)

const acme = { id: 'orga', name: 'Acme Dental' }
const bolt = { id: 'orgb', name: 'Bolt Plumbing' }
const cedar = { id: 'orgc', name: 'Cedar Realty' }
const echo = { id: 'orge', name: 'Echo Salon' }
const foxtrot = { id: 'orgf', name: 'Foxtrot Fitness' }

// A small history whose every figure is worked out by hand below. Numbered as in the comments of the expectations.
const history: HistoryAttempt[] = [
  // 1: before range A starts (22:15), inside range B.
  {
    organizationId: acme.id,
    areaCode: '212',
    requestedAt: at('2025-03-09T22:10:00Z'),
    outcome: 'purchased',
    phoneNumber: { status: 'active', millisecondsToLive: seconds(10), detectedBy: 'webhook' },
  },
  // 2
  {
    organizationId: acme.id,
    areaCode: '212',
    requestedAt: at('2025-03-09T22:20:00Z'),
    outcome: 'purchased',
    phoneNumber: { status: 'active', millisecondsToLive: seconds(20), detectedBy: 'webhook' },
  },
  // 3
  {
    organizationId: bolt.id,
    areaCode: '415',
    requestedAt: at('2025-03-09T22:30:00Z'),
    outcome: 'refused',
    failureCode: 'area_code_unavailable',
  },
  // 4: still waiting for Vapi: not an attempt yet.
  { organizationId: acme.id, areaCode: '646', requestedAt: at('2025-03-09T22:40:00Z'), outcome: 'in_flight' },
  // 5
  {
    organizationId: acme.id,
    areaCode: '212',
    requestedAt: at('2025-03-09T23:05:00Z'),
    outcome: 'purchased',
    phoneNumber: { status: 'active', millisecondsToLive: seconds(30), detectedBy: 'poll' },
  },
  // 6
  {
    organizationId: bolt.id,
    areaCode: '212',
    requestedAt: at('2025-03-09T23:10:00Z'),
    outcome: 'purchased',
    phoneNumber: { status: 'failed', failureCode: 'blocked' },
  },
  // 7
  {
    organizationId: bolt.id,
    areaCode: '415',
    requestedAt: at('2025-03-09T23:20:00Z'),
    outcome: 'refused',
    failureCode: 'area_code_unavailable',
  },
  // 8: the last millisecond of 9 March.
  {
    organizationId: acme.id,
    areaCode: '312',
    requestedAt: at('2025-03-09T23:59:59.999Z'),
    outcome: 'error',
    failureCode: 'vapi_unavailable',
  },
  // 9: exactly at the start of the 01:00 bucket.
  {
    organizationId: acme.id,
    areaCode: '212',
    requestedAt: at('2025-03-10T01:00:00Z'),
    outcome: 'purchased',
    phoneNumber: { status: 'active', millisecondsToLive: seconds(40), detectedBy: 'manual' },
  },
  // 10
  {
    organizationId: bolt.id,
    areaCode: '312',
    requestedAt: at('2025-03-10T01:30:00Z'),
    outcome: 'purchased',
    phoneNumber: { status: 'failed', failureCode: 'deadline_exceeded' },
  },
  // 11: released later, but it did go live; 49.6 s rounds to 50.
  {
    organizationId: acme.id,
    areaCode: '212',
    requestedAt: at('2025-03-10T01:45:00Z'),
    outcome: 'purchased',
    phoneNumber: { status: 'released', millisecondsToLive: 49_600, detectedBy: 'webhook' },
  },
  // 12: bought, could not be stored, deleted again.
  {
    organizationId: acme.id,
    areaCode: '212',
    requestedAt: at('2025-03-10T01:50:00Z'),
    outcome: 'rolled_back',
    failureCode: 'rolled_back',
  },
  // 13: pending now.
  {
    organizationId: bolt.id,
    areaCode: '212',
    requestedAt: at('2025-03-10T02:10:00Z'),
    outcome: 'purchased',
    phoneNumber: { status: 'pending' },
  },
  // 14
  {
    organizationId: acme.id,
    areaCode: '415',
    requestedAt: at('2025-03-10T02:44:00Z'),
    outcome: 'refused',
    failureCode: 'vapi_rejected',
  },
  // 15: exactly at range A's end (exclusive), inside range B.
  {
    organizationId: acme.id,
    areaCode: '212',
    requestedAt: at('2025-03-10T02:45:00Z'),
    outcome: 'purchased',
    phoneNumber: { status: 'active', millisecondsToLive: seconds(5), detectedBy: 'webhook' },
  },
  // 16
  {
    organizationId: cedar.id,
    areaCode: '512',
    requestedAt: at('2025-03-10T02:20:00Z'),
    outcome: 'purchased',
    phoneNumber: { status: 'active', millisecondsToLive: seconds(100), detectedBy: 'webhook' },
  },
  // 17: went live, then was deleted at Vapi: it succeeded, and does not also count as failed.
  {
    organizationId: acme.id,
    areaCode: '212',
    requestedAt: at('2025-03-10T01:20:00Z'),
    outcome: 'purchased',
    phoneNumber: {
      status: 'failed',
      millisecondsToLive: seconds(15),
      detectedBy: 'webhook',
      failureCode: 'deleted_at_vapi',
    },
  },
  // 18: pending now, requested half an hour ago.
  {
    organizationId: cedar.id,
    areaCode: '512',
    requestedAt: at('2025-03-10T12:00:00Z'),
    outcome: 'purchased',
    phoneNumber: { status: 'pending' },
  },
  // 19: before range B starts.
  {
    organizationId: bolt.id,
    areaCode: '212',
    requestedAt: at('2025-03-08T20:00:00Z'),
    outcome: 'refused',
    failureCode: 'area_code_unavailable',
  },
  // 20: after range B ends.
  {
    organizationId: acme.id,
    areaCode: '212',
    requestedAt: at('2025-03-10T22:30:00Z'),
    outcome: 'refused',
    failureCode: 'vapi_rejected',
  },
]

const emptyTimeToLive = { p50Seconds: null, p90Seconds: null, p99Seconds: null }
const noAttempts = { attempts: 0, succeeded: 0, failed: 0, successRate: null, failuresByReason: {} }

describe.each(testDatabaseKinds)('provisioning statistics on %s', (kind) => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase(kind)
    await insertOrganizations(database.db, [acme, bolt, cedar, echo, foxtrot])
    await insertHistory(database.db, history)
  })
  afterAll(async () => {
    await database.close()
  })

  // Range A: 22:15 on 9 March to 02:45 on 10 March, by the hour. Partial hours at both ends are read from the
  // attempts, 23:00–02:00 from hour rollups; the 00:00 hour has no attempts at all.
  test('counts every bucket, including an empty one, across midnight by the hour', async () => {
    const stats = await getProvisioningStats(
      database.db,
      { from: at('2025-03-09T22:15:00Z'), to: at('2025-03-10T02:45:00Z'), bucket: 'hour' },
      now,
    )
    expect(stats.range).toEqual({ from: '2025-03-09T22:15:00.000Z', to: '2025-03-10T02:45:00.000Z', bucket: 'hour' })
    expect(stats.buckets).toEqual([
      // 2 live, 3 refused
      {
        start: '2025-03-09T22:00:00.000Z',
        attempts: 2,
        succeeded: 1,
        failed: 1,
        successRate: 0.5,
        failuresByReason: { area_code_unavailable: 1 },
        timeToLive: { p50Seconds: 20, p90Seconds: 20, p99Seconds: 20 },
      },
      // 5 live, 6 blocked, 7 refused, 8 error
      {
        start: '2025-03-09T23:00:00.000Z',
        attempts: 4,
        succeeded: 1,
        failed: 3,
        successRate: 0.25,
        failuresByReason: { area_code_unavailable: 1, blocked: 1, vapi_unavailable: 1 },
        timeToLive: { p50Seconds: 30, p90Seconds: 30, p99Seconds: 30 },
      },
      { start: '2025-03-10T00:00:00.000Z', ...noAttempts, timeToLive: emptyTimeToLive },
      // 9, 11, 17 live (40, 50, 15 s); 10 deadline; 12 rolled back
      {
        start: '2025-03-10T01:00:00.000Z',
        attempts: 5,
        succeeded: 3,
        failed: 2,
        successRate: 0.6,
        failuresByReason: { deadline_exceeded: 1, rolled_back: 1 },
        // sorted 15, 40, 50: p50 at position 1 = 40; p90 at 1.8 = 40 + 0.8 × 10; p99 at 1.98 = 40 + 0.98 × 10
        timeToLive: { p50Seconds: 40, p90Seconds: near(48), p99Seconds: near(49.8) },
      },
      // 13 pending, 14 refused, 16 live
      {
        start: '2025-03-10T02:00:00.000Z',
        attempts: 3,
        succeeded: 1,
        failed: 1,
        successRate: 0.5,
        failuresByReason: { vapi_rejected: 1 },
        timeToLive: { p50Seconds: 100, p90Seconds: 100, p99Seconds: 100 },
      },
    ])
    expect(stats.totals).toEqual({
      attempts: 14,
      succeeded: 6,
      failed: 7,
      successRate: 6 / 13,
      failuresByReason: {
        area_code_unavailable: 2,
        blocked: 1,
        vapi_unavailable: 1,
        deadline_exceeded: 1,
        rolled_back: 1,
        vapi_rejected: 1,
      },
      // 13 (since 02:10) and 18 (since 12:00); the range does not matter
      pendingNow: 2,
      oldestPendingSeconds: 10 * 3600 + 20 * 60,
    })
    // 15, 20, 30, 40, 50, 100: p50 at 2.5 = 35; p90 at 4.5 = 75; p99 at 4.95 = 50 + 0.95 × 50
    expect(stats.timeToLive.p50Seconds).toBe(35)
    expect(stats.timeToLive.p90Seconds).toBe(75)
    expect(stats.timeToLive.p99Seconds).toBeCloseTo(97.5, 9)
    expect(stats.detectedBy).toEqual({ webhook: 4, poll: 1, manual: 1 })
    expect(stats.areaCodes).toEqual([
      { areaCode: '212', requested: 8, unavailable: 0 },
      { areaCode: '415', requested: 3, unavailable: 2 },
      { areaCode: '312', requested: 2, unavailable: 0 },
      { areaCode: '512', requested: 1, unavailable: 0 },
    ])
    expect(stats.organizations).toEqual([
      {
        id: acme.id,
        name: acme.name,
        attempts: 8,
        succeeded: 5,
        failed: 3,
        successRate: 5 / 8,
        failuresByReason: { vapi_unavailable: 1, rolled_back: 1, vapi_rejected: 1 },
        // Five of acme's numbers are active now; the released one and the one deleted at Vapi are not.
        liveNow: 5,
      },
      {
        id: bolt.id,
        name: bolt.name,
        attempts: 5,
        succeeded: 0,
        failed: 4,
        successRate: 0,
        failuresByReason: { area_code_unavailable: 2, blocked: 1, deadline_exceeded: 1 },
        liveNow: 0,
      },
      {
        id: cedar.id,
        name: cedar.name,
        attempts: 1,
        succeeded: 1,
        failed: 0,
        successRate: 1,
        failuresByReason: {},
        liveNow: 1,
      },
    ])
  })

  // Range B: 20:30 on 8 March to 22:00 on 10 March, by the day. 9 March comes from a day rollup, the hours around it
  // from hour rollups, 20:30–21:00 from the attempts.
  test('counts UTC days across day boundaries, from day rollups, hour rollups and attempts', async () => {
    const stats = await getProvisioningStats(
      database.db,
      { from: at('2025-03-08T20:30:00Z'), to: at('2025-03-10T22:00:00Z'), bucket: 'day' },
      now,
    )
    expect(stats.buckets).toEqual([
      // 19 is at 20:00, before the range
      { start: '2025-03-08T00:00:00.000Z', ...noAttempts, timeToLive: emptyTimeToLive },
      // 1, 2, 5 live (10, 20, 30 s); 3, 7 refused; 6 blocked; 8 error
      {
        start: '2025-03-09T00:00:00.000Z',
        attempts: 7,
        succeeded: 3,
        failed: 4,
        successRate: 3 / 7,
        failuresByReason: { area_code_unavailable: 2, blocked: 1, vapi_unavailable: 1 },
        timeToLive: { p50Seconds: 20, p90Seconds: near(28), p99Seconds: near(29.8) },
      },
      // 9, 11, 15, 16, 17 live (40, 50, 5, 100, 15 s); 10 deadline; 12 rolled back; 14 refused; 13, 18 pending
      {
        start: '2025-03-10T00:00:00.000Z',
        attempts: 10,
        succeeded: 5,
        failed: 3,
        successRate: 5 / 8,
        failuresByReason: { deadline_exceeded: 1, rolled_back: 1, vapi_rejected: 1 },
        // sorted 5, 15, 40, 50, 100: p50 = 40; p90 at 3.6 = 50 + 0.6 × 50; p99 at 3.96 = 50 + 0.96 × 50
        timeToLive: { p50Seconds: 40, p90Seconds: near(80), p99Seconds: near(98) },
      },
    ])
    expect(stats.totals).toMatchObject({ attempts: 17, succeeded: 8, failed: 7, successRate: 8 / 15 })
    // 5, 10, 15, 20, 30, 40, 50, 100: p50 at 3.5 = 25; p90 at 6.3 = 50 + 0.3 × 50; p99 at 6.93 = 50 + 0.93 × 50
    expect(stats.timeToLive.p50Seconds).toBe(25)
    expect(stats.timeToLive.p90Seconds).toBeCloseTo(65, 9)
    expect(stats.timeToLive.p99Seconds).toBeCloseTo(96.5, 9)
    expect(stats.detectedBy).toEqual({ webhook: 6, poll: 1, manual: 1 })
    expect(stats.organizations.map((organization) => [organization.id, organization.attempts])).toEqual([
      [acme.id, 10],
      [bolt.id, 5],
      [cedar.id, 2],
    ])
  })

  test('one organisation: only its attempts and its pending numbers', async () => {
    const acmeStats = await getProvisioningStats(
      database.db,
      { from: at('2025-03-09T22:15:00Z'), to: at('2025-03-10T02:45:00Z'), bucket: 'hour', organizationId: acme.id },
      now,
    )
    expect(
      acmeStats.buckets.map(({ start, attempts, succeeded, failed, failuresByReason }) => ({
        start,
        attempts,
        succeeded,
        failed,
        failuresByReason,
      })),
    ).toEqual([
      { start: '2025-03-09T22:00:00.000Z', attempts: 1, succeeded: 1, failed: 0, failuresByReason: {} },
      {
        start: '2025-03-09T23:00:00.000Z',
        attempts: 2,
        succeeded: 1,
        failed: 1,
        failuresByReason: { vapi_unavailable: 1 },
      },
      { start: '2025-03-10T00:00:00.000Z', attempts: 0, succeeded: 0, failed: 0, failuresByReason: {} },
      { start: '2025-03-10T01:00:00.000Z', attempts: 4, succeeded: 3, failed: 1, failuresByReason: { rolled_back: 1 } },
      {
        start: '2025-03-10T02:00:00.000Z',
        attempts: 1,
        succeeded: 0,
        failed: 1,
        failuresByReason: { vapi_rejected: 1 },
      },
    ])
    expect(acmeStats.totals).toMatchObject({
      attempts: 8,
      succeeded: 5,
      failed: 3,
      pendingNow: 0,
      oldestPendingSeconds: null,
    })
    // 15, 20, 30, 40, 50: p50 = 30; p90 at 3.6 = 40 + 0.6 × 10; p99 at 3.96 = 40 + 0.96 × 10
    expect(acmeStats.timeToLive).toEqual({
      p50Seconds: 30,
      p90Seconds: near(46),
      p99Seconds: near(49.6),
    })
    expect(acmeStats.detectedBy).toEqual({ webhook: 3, poll: 1, manual: 1 })
    expect(acmeStats.areaCodes).toEqual([
      { areaCode: '212', requested: 6, unavailable: 0 },
      { areaCode: '312', requested: 1, unavailable: 0 },
      { areaCode: '415', requested: 1, unavailable: 0 },
    ])
    expect(acmeStats.organizations.map((organization) => organization.id)).toEqual([acme.id])

    const cedarStats = await getProvisioningStats(
      database.db,
      { from: at('2025-03-09T22:15:00Z'), to: at('2025-03-10T02:45:00Z'), bucket: 'hour', organizationId: cedar.id },
      now,
    )
    expect(cedarStats.totals).toMatchObject({ attempts: 1, succeeded: 1, pendingNow: 1, oldestPendingSeconds: 1800 })
  })

  test('a range with no attempts answers zeros, nulls and empty lists', async () => {
    const stats = await getProvisioningStats(
      database.db,
      { from: at('2025-02-01T00:00:00Z'), to: at('2025-02-03T00:00:00Z'), bucket: 'day' },
      now,
    )
    expect(stats.buckets).toEqual([
      { start: '2025-02-01T00:00:00.000Z', ...noAttempts, timeToLive: emptyTimeToLive },
      { start: '2025-02-02T00:00:00.000Z', ...noAttempts, timeToLive: emptyTimeToLive },
    ])
    expect(stats.totals).toEqual({ ...noAttempts, pendingNow: 2, oldestPendingSeconds: 37_200 })
    expect(stats.timeToLive).toEqual(emptyTimeToLive)
    expect(stats.detectedBy).toEqual({ webhook: 0, poll: 0, manual: 0 })
    expect(stats.areaCodes).toEqual([])
    expect(stats.organizations).toEqual([])
  })

  test('a filter names its organisation even in a range where it made no attempts', async () => {
    const everything = { from: at('2025-03-09T00:00:00Z'), to: at('2025-03-11T00:00:00Z'), bucket: 'day' } as const
    const acmeInRange = (await getProvisioningStats(database.db, everything, now)).organizations.find(
      (entry) => entry.id === acme.id,
    )
    expect(acmeInRange?.liveNow).toBeGreaterThan(0)

    const quiet = { from: at('2025-02-01T00:00:00Z'), to: at('2025-02-03T00:00:00Z'), bucket: 'day' } as const
    const filtered = await getProvisioningStats(database.db, { ...quiet, organizationId: acme.id }, now)
    expect(filtered.organizations).toEqual([
      { ...noAttempts, id: acme.id, name: acme.name, liveNow: acmeInRange?.liveNow },
    ])
    const unknown = await getProvisioningStats(database.db, { ...quiet, organizationId: 'no-such-org' }, now)
    expect(unknown.organizations).toEqual([])
  })

  // 1–5 March (before everything above) by the day: 2 March is a day rollup, so every change below has to reach the day rows.
  const range = { from: at('2025-03-01T00:00:00Z'), to: at('2025-03-05T00:00:00Z'), bucket: 'day' } as const
  const secondOfMarch = async () => {
    const stats = await getProvisioningStats(database.db, range, now)
    return stats.buckets[1]
  }

  test('a number going live, a late Vapi answer and a deleted organisation (history kept) all show on the next request', async () => {
    const [pendingAttemptId, inFlightAttemptId] = await insertHistory(database.db, [
      {
        organizationId: echo.id,
        areaCode: '212',
        requestedAt: at('2025-03-02T10:00:00Z'),
        outcome: 'purchased',
        phoneNumber: { status: 'pending' },
      },
      { organizationId: foxtrot.id, areaCode: '415', requestedAt: at('2025-03-02T11:00:00Z'), outcome: 'in_flight' },
    ])
    expect(await secondOfMarch()).toMatchObject({ attempts: 1, succeeded: 0, failed: 0 })
    expect(await refreshProvisioningStatsRollups(database.db)).toBe(0)

    // The webhook arrives: the number goes live 12 s after it was requested.
    const attempt = await database.db
      .selectFrom('provisioning_attempt')
      .select('phone_number_id')
      .where('id', '=', pendingAttemptId!)
      .executeTakeFirstOrThrow()
    await database.db
      .updateTable('phone_number')
      .set({ status: 'active', activated_at: at('2025-03-02T10:00:12Z'), detected_by: 'webhook' })
      .where('id', '=', attempt.phone_number_id!)
      .execute()
    expect(await secondOfMarch()).toMatchObject({
      attempts: 1,
      succeeded: 1,
      timeToLive: { p50Seconds: 12, p90Seconds: 12, p99Seconds: 12 },
    })

    // The poller's bookkeeping changes nothing the statistics count, so it marks no hour for recomputation.
    await database.db
      .updateTable('phone_number')
      .set({ check_count: 3, last_checked_at: now })
      .where('id', '=', attempt.phone_number_id!)
      .execute()
    expect(await refreshProvisioningStatsRollups(database.db)).toBe(0)

    // Vapi finally refuses the in-flight request.
    await database.db
      .updateTable('provisioning_attempt')
      .set({ outcome: 'refused', failure_code: 'area_code_unavailable' })
      .where('id', '=', inFlightAttemptId!)
      .execute()
    expect(await secondOfMarch()).toMatchObject({
      attempts: 2,
      succeeded: 1,
      failed: 1,
      failuresByReason: { area_code_unavailable: 1 },
    })

    // An organisation with history cannot be removed (0005: its attempts restrict it); deleting one marks it, and
    // its attempts stay in the statistics.
    await expect(database.db.deleteFrom('organization').where('id', '=', foxtrot.id).execute()).rejects.toThrow()
    await database.db.updateTable('organization').set({ deletedAt: now }).where('id', '=', foxtrot.id).execute()
    expect(await secondOfMarch()).toMatchObject({
      attempts: 2,
      succeeded: 1,
      failed: 1,
      failuresByReason: { area_code_unavailable: 1 },
    })
    const stats = await getProvisioningStats(database.db, range, now)
    expect(stats.organizations.map((organization) => organization.id).sort()).toEqual([echo.id, foxtrot.id].sort())
  })

  test('the rollups hold exactly what the attempts say after any sequence of refreshes', async () => {
    // Rebuild from scratch and compare with the incrementally kept rows: they must be identical.
    const snapshot = async () =>
      (
        await sql<{ row: string }>`
          select concat_ws('|', unit, period_start, organization_id, failure_reason, attempts, succeeded,
            detected_by_webhook, detected_by_poll, detected_by_manual) as row
          from provisioning_stats_rollup order by 1`.execute(database.db)
      ).rows.map((row) => row.row)
    await refreshProvisioningStatsRollups(database.db)
    const incremental = await snapshot()
    expect(incremental.length).toBeGreaterThan(0)
    await sql`delete from provisioning_stats_rollup`.execute(database.db)
    await sql`
      insert into provisioning_stats_dirty_hour (hour_start)
      select distinct date_trunc('hour', requested_at, 'UTC') from provisioning_attempt`.execute(database.db)
    await refreshProvisioningStatsRollups(database.db)
    expect(await snapshot()).toEqual(incremental)
  })
})
