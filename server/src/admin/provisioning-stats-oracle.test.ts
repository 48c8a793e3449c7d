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

/** A carrier purchase or import (issue 15) with its card, as the saga leaves it. */
interface CarrierHistoryPurchase {
  organizationId: string
  carrier: 'twilio' | 'telnyx'
  country: string
  requestedAt: Date
  /** live after some milliseconds; refused before a card; failed: kept or released after a refused import; pending. */
  ending: { kind: 'live'; millisecondsToLive: number } | { kind: 'refused' | 'failed' | 'pending' }
}

function randomCarrierHistory(random: () => number, count: number): CarrierHistoryPurchase[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  return Array.from({ length: count }, () => {
    const roll = random()
    return {
      organizationId: pick(organizations).id,
      carrier: pick(['twilio', 'telnyx'] as const),
      country: pick(['US', 'CA', 'GB']),
      requestedAt: new Date(start + Math.floor(random() * spanMs)),
      ending:
        roll < 0.55
          ? { kind: 'live', millisecondsToLive: pick([800, 2_500, 9_000, 41_000, 300_000]) }
          : roll < 0.7
            ? { kind: 'refused' }
            : roll < 0.85
              ? { kind: 'failed' }
              : { kind: 'pending' },
    } satisfies CarrierHistoryPurchase
  })
}

async function insertCarrierHistory(db: TestDatabase['db'], purchases: readonly CarrierHistoryPurchase[]) {
  for (const [index, purchase] of purchases.entries()) {
    const number = `+1800555${String(index).padStart(4, '0')}`
    const hasCard = purchase.ending.kind !== 'refused'
    const activatedAt =
      purchase.ending.kind === 'live'
        ? new Date(purchase.requestedAt.getTime() + purchase.ending.millisecondsToLive)
        : null
    const card = hasCard
      ? await db
          .insertInto('phone_number')
          .values({
            organization_id: purchase.organizationId,
            vapi_phone_number_id: null,
            name: null,
            area_code: '800',
            number,
            status:
              purchase.ending.kind === 'live' ? 'active' : purchase.ending.kind === 'pending' ? 'pending' : 'failed',
            failure_code: purchase.ending.kind === 'failed' ? 'import_rejected' : null,
            failure_reason: null,
            detected_by: null,
            created_at: purchase.requestedAt,
            activated_at: activatedAt,
            released_at: null,
            updated_at: activatedAt ?? purchase.requestedAt,
            next_check_at: null,
            provider: purchase.carrier,
            country: purchase.country,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      : undefined
    const step = { live: 'live', refused: 'refused', failed: 'kept', pending: 'ordered' } as const
    await db
      .insertInto('carrier_purchase')
      .values({
        organization_id: purchase.organizationId,
        kind: 'buy',
        carrier: purchase.carrier,
        carrier_account: 'oracle',
        number,
        country: purchase.country,
        capabilities: JSON.stringify({ voice: true, sms: false, mms: false }),
        name: null,
        assistant_id: null,
        requested_by_user_id: null,
        idempotency_key: null,
        step: step[purchase.ending.kind],
        phone_number_id: card?.id ?? null,
        failure_code: purchase.ending.kind === 'refused' ? 'carrier_unavailable_number' : null,
        created_at: purchase.requestedAt,
        updated_at: purchase.requestedAt,
      })
      .execute()
  }
}

/** The split by provider and country written plainly: Vapi's rows are its totals; each carrier's from its purchases. */
function expectedProviders(
  purchases: readonly CarrierHistoryPurchase[],
  range: StatsRange,
  vapi: Pick<ProvisioningStats, 'totals' | 'timeToLive'>,
): NonNullable<ProvisioningStats['providers']> {
  const { pendingNow: _pendingNow, oldestPendingSeconds: _oldest, ...vapiCounts } = vapi.totals
  const rows: NonNullable<ProvisioningStats['providers']> =
    vapiCounts.attempts === 0
      ? []
      : [null, 'US'].map((country) => ({ ...vapiCounts, provider: 'vapi', country, timeToLive: vapi.timeToLive }))
  const inRange = purchases.filter(
    (purchase) =>
      purchase.requestedAt >= range.from &&
      purchase.requestedAt < range.to &&
      (range.organizationId === undefined || purchase.organizationId === range.organizationId),
  )
  for (const carrier of ['telnyx', 'twilio'] as const) {
    const ofCarrier = inRange.filter((purchase) => purchase.carrier === carrier)
    const countries = [...new Set(ofCarrier.map((purchase) => purchase.country))].sort()
    for (const country of ofCarrier.length === 0 ? [] : [null, ...countries]) {
      const chosen = ofCarrier.filter((purchase) => country === null || purchase.country === country)
      const failuresByReason: Record<string, number> = {}
      for (const purchase of chosen) {
        const reason =
          purchase.ending.kind === 'refused'
            ? 'carrier_unavailable_number'
            : purchase.ending.kind === 'failed'
              ? 'import_rejected'
              : null
        if (reason) failuresByReason[reason] = (failuresByReason[reason] ?? 0) + 1
      }
      const lives = chosen.flatMap((purchase) =>
        purchase.ending.kind === 'live' ? [Math.round(purchase.ending.millisecondsToLive / 1000)] : [],
      )
      const failed = Object.values(failuresByReason).reduce((sum, count) => sum + count, 0)
      rows.push({
        provider: carrier,
        country,
        attempts: chosen.length,
        succeeded: lives.length,
        failed,
        successRate: lives.length + failed === 0 ? null : lives.length / (lives.length + failed),
        failuresByReason,
        timeToLive: timeToLiveOf(lives),
      })
    }
  }
  return rows
}

function expectedStats(
  history: readonly HistoryAttempt[],
  range: StatsRange,
  carrierHistory: readonly CarrierHistoryPurchase[] = [],
): ProvisioningStats {
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

  const pendingTimes = [
    ...history.filter((attempt) => attempt.phoneNumber?.status === 'pending' && isOurs(attempt)),
    ...carrierHistory.filter(
      (purchase) =>
        purchase.ending.kind === 'pending' &&
        (range.organizationId === undefined || purchase.organizationId === range.organizationId),
    ),
  ].map((entry) => entry.requestedAt.getTime())
  const pending = pendingTimes
  const oldest = Math.min(...pendingTimes)
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
      liveNow:
        history.filter(
          (attempt) => attempt.organizationId === organization.id && attempt.phoneNumber?.status === 'active',
        ).length +
        carrierHistory.filter(
          (purchase) => purchase.organizationId === organization.id && purchase.ending.kind === 'live',
        ).length,
    }))
    .filter((organization) => organization.attempts > 0)
    .sort((left, right) => right.attempts - left.attempts || left.id.localeCompare(right.id))
    .slice(0, topOrganizations)

  const totals = {
    ...countsOf(rows),
    pendingNow: pending.length,
    oldestPendingSeconds: pending.length === 0 ? null : Math.floor((now.getTime() - oldest) / 1000),
  }
  const timeToLive = timeToLiveOf(livesOf(rows))
  return {
    range: { from: range.from.toISOString(), to: range.to.toISOString(), bucket: range.bucket },
    totals,
    buckets,
    timeToLive,
    providers: expectedProviders(carrierHistory, range, { totals, timeToLive }),
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
  const carrierHistory = randomCarrierHistory(random, 60)

  beforeAll(async () => {
    database = await createTestDatabase(kind)
    await insertOrganizations(database.db, organizations)
    await insertHistory(database.db, history)
    await insertCarrierHistory(database.db, carrierHistory)
  })
  afterAll(async () => {
    await database.close()
  })

  test('over 25 random ranges, buckets and organisation filters', async () => {
    for (let round = 0; round < 25; round += 1) {
      const range = randomRange(random)
      const stats = await getProvisioningStats(database.db, range, now)
      expect({ range, stats }).toEqual({ range, stats: expectedStats(history, range, carrierHistory) })
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
