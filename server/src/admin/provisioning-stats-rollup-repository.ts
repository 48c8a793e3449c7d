import { sql, type Kysely, type Transaction } from 'kysely'
import { z } from 'zod'
import type { Database } from '../db/schema.ts'
import {
  anySpan,
  areaCodePartials,
  classifiedAttempts,
  countPartials,
  timeToLivePartials,
  utcBucketStart,
} from './attempt-classification.ts'
import { dayMs, floorTo, hourMs, type TimeSpan } from './stats-range.ts'

// Triggers (migration 0002) append every hour whose attempts or numbers changed to provisioning_stats_dirty_hour.
// Refreshing recomputes exactly those hours from the raw rows, then re-sums their days from the hour rows.

const spansPerStatement = 200
const classified = sql.raw('classified_attempt')
const claimedHourSchema = z.object({ hour_start: z.coerce.date() })
const byOrganization = { byOrganization: true }

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size))
  return chunks
}

/**
 * Sorted unit starts merged into spans of consecutive units. Changes cluster in the current hour and day, and a
 * bulk import is one long span; either way each span is one index range scan the planner can estimate from its
 * bounds (an unnest() join hid the bounds and made it read the whole phone_number table for one hour).
 */
export function mergeIntoSpans(starts: readonly Date[], unitMs: number): TimeSpan[] {
  const spans: TimeSpan[] = []
  for (const start of [...starts].sort((left, right) => left.getTime() - right.getTime())) {
    const last = spans.at(-1)
    if (last && last.to.getTime() >= start.getTime()) {
      last.to = new Date(Math.max(last.to.getTime(), start.getTime() + unitMs))
    } else {
      spans.push({ from: start, to: new Date(start.getTime() + unitMs) })
    }
  }
  return spans
}

async function deleteRollupRows(db: Kysely<Database>, unit: 'hour' | 'day', spans: readonly TimeSpan[]): Promise<void> {
  const inSpans = anySpan(sql.ref('period_start'), spans)
  await sql`
    with counts as (delete from provisioning_stats_rollup where unit = ${unit} and ${inSpans}),
    area_codes as (delete from provisioning_stats_area_code_rollup where unit = ${unit} and ${inSpans}),
    organization_area_codes as (
      delete from provisioning_stats_organization_area_code_rollup where unit = ${unit} and ${inSpans}
    ),
    organization_times as (
      delete from provisioning_stats_organization_time_to_live_rollup where unit = ${unit} and ${inSpans}
    )
    delete from provisioning_stats_time_to_live_rollup where unit = ${unit} and ${inSpans}
  `.execute(db)
}

async function recomputeHours(db: Kysely<Database>, spans: readonly TimeSpan[]): Promise<void> {
  await deleteRollupRows(db, 'hour', spans)
  const attemptsInSpans = sql`(select * from provisioning_attempt where ${anySpan(sql.ref('requested_at'), spans)})`
  await sql`
    with ${classified} as materialized (${classifiedAttempts(attemptsInSpans)}),
    counts as (
      insert into provisioning_stats_rollup (unit, period_start, organization_id, failure_reason, attempts, succeeded,
        detected_by_webhook, detected_by_poll, detected_by_manual)
      select 'hour', period_start, organization_id, failure_reason, attempts, succeeded,
        detected_by_webhook, detected_by_poll, detected_by_manual
      from (${countPartials(classified)}) as partial
    ),
    area_codes as (
      insert into provisioning_stats_area_code_rollup (unit, period_start, area_code, requested, unavailable)
      select 'hour', period_start, area_code, requested, unavailable from (${areaCodePartials(classified)}) as partial
    ),
    organization_area_codes as (
      insert into provisioning_stats_organization_area_code_rollup
        (unit, period_start, organization_id, area_code, requested, unavailable)
      select 'hour', period_start, organization_id, area_code, requested, unavailable
      from (${areaCodePartials(classified, byOrganization)}) as partial
    ),
    organization_times as (
      insert into provisioning_stats_organization_time_to_live_rollup
        (unit, period_start, organization_id, seconds, numbers)
      select 'hour', period_start, organization_id, seconds, numbers
      from (${timeToLivePartials(classified, byOrganization)}) as partial
    )
    insert into provisioning_stats_time_to_live_rollup (unit, period_start, seconds, numbers)
    select 'hour', period_start, seconds, numbers from (${timeToLivePartials(classified)}) as partial
  `.execute(db)
}

async function recomputeDays(db: Kysely<Database>, spans: readonly TimeSpan[]): Promise<void> {
  await deleteRollupRows(db, 'day', spans)
  const hoursOfDays = sql`unit = 'hour' and ${anySpan(sql.ref('period_start'), spans)}`
  const dayOf = utcBucketStart('day', sql.ref('period_start'))
  await sql`
    with counts as (
      insert into provisioning_stats_rollup (unit, period_start, organization_id, failure_reason, attempts, succeeded,
        detected_by_webhook, detected_by_poll, detected_by_manual)
      select 'day', ${dayOf}, organization_id, failure_reason, sum(attempts), sum(succeeded),
        sum(detected_by_webhook), sum(detected_by_poll), sum(detected_by_manual)
      from provisioning_stats_rollup where ${hoursOfDays}
      group by ${dayOf}, organization_id, failure_reason
    ),
    area_codes as (
      insert into provisioning_stats_area_code_rollup (unit, period_start, area_code, requested, unavailable)
      select 'day', ${dayOf}, area_code, sum(requested), sum(unavailable)
      from provisioning_stats_area_code_rollup where ${hoursOfDays}
      group by ${dayOf}, area_code
    ),
    organization_area_codes as (
      insert into provisioning_stats_organization_area_code_rollup
        (unit, period_start, organization_id, area_code, requested, unavailable)
      select 'day', ${dayOf}, organization_id, area_code, sum(requested), sum(unavailable)
      from provisioning_stats_organization_area_code_rollup where ${hoursOfDays}
      group by ${dayOf}, organization_id, area_code
    ),
    organization_times as (
      insert into provisioning_stats_organization_time_to_live_rollup
        (unit, period_start, organization_id, seconds, numbers)
      select 'day', ${dayOf}, organization_id, seconds, sum(numbers)
      from provisioning_stats_organization_time_to_live_rollup where ${hoursOfDays}
      group by ${dayOf}, organization_id, seconds
    )
    insert into provisioning_stats_time_to_live_rollup (unit, period_start, seconds, numbers)
    select 'day', ${dayOf}, seconds, sum(numbers)
    from provisioning_stats_time_to_live_rollup where ${hoursOfDays}
    group by ${dayOf}, seconds
  `.execute(db)
}

/**
 * Brings the rollups up to date with every committed change; returns how many hours it recomputed.
 *
 * Concurrency: refreshes take turns (an advisory lock), so two never re-sum the same day from different hours.
 * Claiming deletes only committed marks; a change still uncommitted leaves its mark for the next refresh, and a
 * change that committed before the claim is visible to the recomputation, which runs in a later statement.
 */
/**
 * Folds the +1/-1 the triggers appended (migration 0017) into each organisation's live count, so the statistics read
 * 200 counts instead of half a million numbers. The statement reads count + unfolded deltas, so folding late is
 * never wrong, only slower.
 */
async function foldLiveNumberDeltas(trx: Transaction<Database>): Promise<void> {
  await sql`
    with folded as (delete from provisioning_stats_live_delta returning organization_id, delta)
    insert into provisioning_stats_live_count (organization_id, live_now)
    select organization_id, sum(delta) from folded group by organization_id
    on conflict (organization_id) do update
      set live_now = provisioning_stats_live_count.live_now + excluded.live_now`.execute(trx)
}

export async function refreshProvisioningStatsRollups(db: Kysely<Database>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('dialtone.provisioning_stats_refresh'))`.execute(trx)
    await foldLiveNumberDeltas(trx)
    const claimed = await sql`
      with claimed as (delete from provisioning_stats_dirty_hour returning hour_start)
      select distinct hour_start from claimed order by hour_start`.execute(trx)
    const hours = claimed.rows.map((row) => claimedHourSchema.parse(row).hour_start)
    if (hours.length === 0) return 0
    // A few changed hours read a few thousand rows: not worth starting parallel workers (see the statistics query).
    if (hours.length <= 48) await sql`set local max_parallel_workers_per_gather = 0`.execute(trx)
    for (const spans of chunksOf(mergeIntoSpans(hours, hourMs), spansPerStatement)) await recomputeHours(trx, spans)
    const days = hours.map((hour) => floorTo(hour, dayMs))
    for (const spans of chunksOf(mergeIntoSpans(days, dayMs), spansPerStatement)) await recomputeDays(trx, spans)
    return hours.length
  })
}
