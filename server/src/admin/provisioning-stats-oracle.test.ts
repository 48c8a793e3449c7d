import type { Counts, ProvisioningStats, TimeToLive } from '@dialtone/shared/provisioning-stats'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../test/support/test-databases.ts'
import { getProvisioningStats, topAreaCodes, topOrganizations } from './provisioning-stats-repository.ts'
import { bucketMs, floorTo, hourMs, type StatsRange } from './stats-range.ts'
import { insertHistory, insertOrganizations, type HistoryAttempt } from '../../test/support/test-history.ts'

// The repository answers from rollups, raw edges or both depending on where a range starts and ends. Here the same
// random history is asked about many random ranges, and every answer is compared with the definitions written
// plainly in TypeScript, over the attempts themselves.

function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state)
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
  }
}

const organizations = [
  { id: 'orga', name: 'Acme Dental' },
  { id: 'orgb', name: 'Bolt Plumbing' },
  { id: 'orgc', name: 'Cedar Realty' },
  { id: 'orgd', name: 'Delta Movers' },
]
const start = Date.parse('2025-06-01T00:00:00Z')
const spanMs = 3 * 24 * hourMs
const now = new Date(start + spanMs + 5 * 60_000)

function randomHistory(random: () => number, count: number): HistoryAttempt[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const attempts: HistoryAttempt[] = []
  for (let index = 0; index < count; index += 1) {
    const base = {
      organizationId: pick(organizations).id,
      areaCode: pick(['212', '415', '646', '312', '533']),
      // Whole milliseconds, and now and then exactly on an hour or a day.
      requestedAt: new Date(
        random() < 0.05 ? floorTo(new Date(start + random() * spanMs), hourMs) : start + Math.floor(random() * spanMs),
      ),
    }
    const detectedBy = pick(['webhook', 'poll', 'manual'] as const)
    // Whole and half seconds, so rounding to the second is exercised too.
    const millisecondsToLive = pick([500, 4_000, 12_500, 18_000, 30_000, 95_000, 600_000])
    const kind = random()
    if (kind < 0.45)
      attempts.push({
        ...base,
        outcome: 'purchased',
        phoneNumber: { status: 'active', millisecondsToLive, detectedBy },
      })
    else if (kind < 0.5)
      attempts.push({
        ...base,
        outcome: 'purchased',
        phoneNumber: { status: 'released', millisecondsToLive, detectedBy },
      })
    else if (kind < 0.53)
      attempts.push({
        ...base,
        outcome: 'purchased',
        phoneNumber: { status: 'failed', millisecondsToLive, detectedBy, failureCode: 'deleted_at_vapi' },
      })
    else if (kind < 0.6) attempts.push({ ...base, outcome: 'purchased', phoneNumber: { status: 'pending' } })
    else if (kind < 0.68)
      attempts.push({
        ...base,
        outcome: 'purchased',
        phoneNumber: { status: 'failed', failureCode: pick(['blocked', 'deadline_exceeded']) },
      })
    else if (kind < 0.8)
      attempts.push({ ...base, outcome: 'refused', failureCode: pick(['area_code_unavailable', 'vapi_rejected']) })
    else if (kind < 0.88)
      attempts.push({ ...base, outcome: 'error', failureCode: pick(['vapi_unavailable', 'vapi_rate_limited']) })
    else if (kind < 0.93) attempts.push({ ...base, outcome: 'rolled_back', failureCode: 'rolled_back' })
    else if (kind < 0.96) attempts.push({ ...base, outcome: 'in_flight' })
    else attempts.push({ ...base, outcome: 'purchased' }) // its number was deleted since
  }
  return attempts
}

/** percentile_cont as Postgres computes it, step for step in doubles. */
function percentileCont(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null
  const position = fraction * (sorted.length - 1)
  const low = sorted[Math.floor(position)]!
  const high = sorted[Math.ceil(position)]!
  return low + (high - low) * (position - Math.floor(position))
}

function timeToLiveOf(values: readonly number[]): TimeToLive {
  const sorted = [...values].sort((left, right) => left - right)
  return {
    p50Seconds: percentileCont(sorted, 0.5),
    p90Seconds: percentileCont(sorted, 0.9),
    p99Seconds: percentileCont(sorted, 0.99),
  }
}

interface Classified {
  attempt: HistoryAttempt
  isSucceeded: boolean
  failureReason: string | null
  secondsToLive: number | null
}

function classify(attempt: HistoryAttempt): Classified {
  const number = attempt.phoneNumber
  const isSucceeded = number?.millisecondsToLive !== undefined
  let failureReason: string | null = null
  if (!isSucceeded) {
    if (['refused', 'rolled_back', 'error'].includes(attempt.outcome)) failureReason = attempt.failureCode ?? 'unknown'
    else if (number?.status === 'failed') failureReason = number.failureCode ?? 'unknown'
  }
  const secondsToLive = number?.millisecondsToLive === undefined ? null : Math.round(number.millisecondsToLive / 1000)
  return { attempt, isSucceeded, failureReason, secondsToLive }
}

function countsOf(rows: readonly Classified[]): Counts {
  const succeeded = rows.filter((row) => row.isSucceeded).length
  const failures = rows.filter((row) => row.failureReason !== null)
  const failuresByReason: Record<string, number> = {}
  for (const row of failures) failuresByReason[row.failureReason!] = (failuresByReason[row.failureReason!] ?? 0) + 1
  const decided = succeeded + failures.length
  return {
    attempts: rows.length,
    succeeded,
    failed: failures.length,
    successRate: decided === 0 ? null : succeeded / decided,
    failuresByReason,
  }
}

function expectedStats(history: readonly HistoryAttempt[], range: StatsRange): ProvisioningStats {
  const isOurs = (attempt: HistoryAttempt) =>
    range.organizationId === undefined || attempt.organizationId === range.organizationId
  const rows = history
    .filter((attempt) => attempt.outcome !== 'in_flight' && isOurs(attempt))
    .filter((attempt) => attempt.requestedAt >= range.from && attempt.requestedAt < range.to)
    .map(classify)
  const livesOf = (of: readonly Classified[]) =>
    of.flatMap((row) => (row.secondsToLive === null ? [] : [row.secondsToLive]))

  const buckets: ProvisioningStats['buckets'] = []
  for (
    let bucketStart = floorTo(range.from, bucketMs[range.bucket]).getTime();
    bucketStart < range.to.getTime();
    bucketStart += bucketMs[range.bucket]
  ) {
    const inBucket = rows.filter(
      (row) => floorTo(row.attempt.requestedAt, bucketMs[range.bucket]).getTime() === bucketStart,
    )
    buckets.push({
      start: new Date(bucketStart).toISOString(),
      ...countsOf(inBucket),
      timeToLive: timeToLiveOf(livesOf(inBucket)),
    })
  }

  const pending = history.filter((attempt) => attempt.phoneNumber?.status === 'pending' && isOurs(attempt))
  const oldest = Math.min(...pending.map((attempt) => attempt.requestedAt.getTime()))
  const detected = (by: string) =>
    rows.filter((row) => row.isSucceeded && row.attempt.phoneNumber?.detectedBy === by).length

  const areaCodes = [...new Set(rows.map((row) => row.attempt.areaCode))]
    .map((areaCode) => ({
      areaCode,
      requested: rows.filter((row) => row.attempt.areaCode === areaCode).length,
      unavailable: rows.filter(
        (row) => row.attempt.areaCode === areaCode && row.attempt.failureCode === 'area_code_unavailable',
      ).length,
    }))
    .sort((left, right) => right.requested - left.requested || left.areaCode.localeCompare(right.areaCode))
    .slice(0, topAreaCodes)

  const byOrganization = organizations
    .map((organization) => ({
      ...organization,
      ...countsOf(rows.filter((row) => row.attempt.organizationId === organization.id)),
      liveNow: history.filter(
        (attempt) => attempt.organizationId === organization.id && attempt.phoneNumber?.status === 'active',
      ).length,
    }))
    .filter((organization) => organization.attempts > 0)
    .sort((left, right) => right.attempts - left.attempts || left.id.localeCompare(right.id))
    .slice(0, topOrganizations)

  return {
    range: { from: range.from.toISOString(), to: range.to.toISOString(), bucket: range.bucket },
    totals: {
      ...countsOf(rows),
      pendingNow: pending.length,
      oldestPendingSeconds: pending.length === 0 ? null : Math.floor((now.getTime() - oldest) / 1000),
    },
    buckets,
    timeToLive: timeToLiveOf(livesOf(rows)),
    detectedBy: { webhook: detected('webhook'), poll: detected('poll'), manual: detected('manual') },
    areaCodes,
    organizations: byOrganization,
  }
}

function randomRange(random: () => number): StatsRange {
  const instant = () => {
    const at = start - hourMs + Math.floor(random() * (spanMs + 2 * hourMs))
    const roll = random()
    // Ranges that start or end on hours and days take other paths through the rollups than ragged ones.
    if (roll < 0.25) return floorTo(new Date(at), hourMs).getTime()
    if (roll < 0.4) return floorTo(new Date(at), 24 * hourMs).getTime()
    return at
  }
  let from = instant()
  let to = instant()
  if (from === to) to += hourMs
  if (from > to) [from, to] = [to, from]
  const organizationId = random() < 0.25 ? organizations[Math.floor(random() * organizations.length)]!.id : undefined
  return {
    from: new Date(from),
    to: new Date(to),
    bucket: random() < 0.5 ? 'hour' : 'day',
    ...(organizationId ? { organizationId } : {}),
  }
}

describe.each(testDatabaseKinds)('statistics agree with the definitions on %s', (kind) => {
  let database: TestDatabase
  const random = seededRandom(20250601)
  const history = randomHistory(random, 400)

  beforeAll(async () => {
    database = await createTestDatabase(kind)
    await insertOrganizations(database.db, organizations)
    await insertHistory(database.db, history)
  })
  afterAll(async () => {
    await database.close()
  })

  test('over 25 random ranges, buckets and organisation filters', async () => {
    for (let round = 0; round < 25; round += 1) {
      const range = randomRange(random)
      const stats = await getProvisioningStats(database.db, range, now)
      expect({ range, stats }).toEqual({ range, stats: expectedStats(history, range) })
    }
  })

  // liveNow comes from counts the triggers keep (migration 0017), not from the numbers: after numbers go live, are
  // released, fail, move or are deleted, folded or not yet folded, it must still equal a plain count.
  test('live numbers per organisation equal a plain count after every kind of change', async () => {
    const whole = { from: new Date(start - hourMs), to: new Date(start + spanMs + hourMs), bucket: 'day' } as const
    const plainCounts = async () => {
      const rows = await database.db
        .selectFrom('phone_number')
        .select(['organization_id', (eb) => eb.fn.countAll<number>().as('live')])
        .where('status', '=', 'active')
        .groupBy('organization_id')
        .execute()
      return Object.fromEntries(rows.map((row) => [row.organization_id, Number(row.live)]))
    }
    const answered = async () => {
      const stats = await getProvisioningStats(database.db, whole, now)
      return Object.fromEntries(stats.organizations.map((entry) => [entry.id, entry.liveNow]))
    }
    const expectAgreement = async () => {
      const plain = await plainCounts()
      const answer = await answered()
      for (const organization of organizations) expect(answer[organization.id] ?? 0).toBe(plain[organization.id] ?? 0)
    }
    await expectAgreement()
    const changes = [
      sql`update phone_number set status = 'released', released_at = now()
        where id in (select id from phone_number where status = 'active' order by id limit 7)`,
      sql`update phone_number set status = 'active', activated_at = coalesce(activated_at, now())
        where id in (select id from phone_number where status = 'pending' order by id limit 3)`,
      sql`update phone_number set status = 'failed', failure_code = 'deleted_at_vapi'
        where id in (select id from phone_number where status = 'active' order by id desc limit 2)`,
      sql`update phone_number set organization_id = 'orgd'
        where id in (select id from phone_number where status = 'active' and organization_id = 'orga' limit 2)`,
      // A change that leaves every status as it was marks nothing.
      sql`update phone_number set check_count = check_count + 1`,
      sql`delete from provisioning_attempt
        where phone_number_id in (select id from phone_number where status = 'active' order by id limit 2)`,
      sql`delete from phone_number where id in (
        select id from phone_number where status = 'active'
          and id not in (select phone_number_id from provisioning_attempt where phone_number_id is not null)
        order by id limit 2)`,
    ]
    for (const change of changes) {
      await change.execute(database.db)
      // Unfolded deltas are read beside the counts: the answer is right before any statistics request folds them.
      const plain = await plainCounts()
      const unfolded = await sql<{
        live: number
      }>`select coalesce(sum(live), 0)::int as live from (
          select sum(live_now) as live from provisioning_stats_live_count
          union all select sum(delta) from provisioning_stats_live_delta) as parts`.execute(database.db)
      expect(Number(unfolded.rows[0]?.live)).toBe(Object.values(plain).reduce((sum, count) => sum + count, 0))
      await expectAgreement()
    }
  })
})
