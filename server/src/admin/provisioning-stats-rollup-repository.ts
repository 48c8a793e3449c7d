import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '../db/schema.ts'
import { areaCodePartials, classifiedAttempts, countPartials, timeToLivePartials } from './attempt-classification.ts'
import { dayMs, floorTo } from './stats-range.ts'

// Triggers (migration 0002) append every hour whose attempts or numbers changed to provisioning_stats_dirty_hour.
// Refreshing recomputes exactly those hours from the raw rows, then re-sums their days from the hour rows.

const hoursPerStatement = 500
const classified = sql.raw('classified_attempt')
const claimedHourSchema = z.object({ hour_start: z.coerce.date() })

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size))
  return chunks
}

function timestamps(dates: readonly Date[]) {
  return sql`${dates.map((date) => date.toISOString())}::timestamptz[]`
}

async function recomputeHours(db: Kysely<Database>, hours: readonly Date[]): Promise<void> {
  await sql`
    with counts as (
      delete from provisioning_stats_rollup where unit = 'hour' and period_start = any(${timestamps(hours)})
    ), area_codes as (
      delete from provisioning_stats_area_code_rollup where unit = 'hour' and period_start = any(${timestamps(hours)})
    )
    delete from provisioning_stats_time_to_live_rollup where unit = 'hour' and period_start = any(${timestamps(hours)})
  `.execute(db)
  // One range scan of the attempts index per hour, rather than a scan of every attempt.
  const attemptsInHours = sql`(
    select attempt.* from unnest(${timestamps(hours)}) as hour (hour_start)
    join provisioning_attempt as attempt
      on attempt.requested_at >= hour.hour_start and attempt.requested_at < hour.hour_start + interval '1 hour'
  )`
  await sql`
    with ${classified} as materialized (${classifiedAttempts(attemptsInHours)}),
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
    )
    insert into provisioning_stats_time_to_live_rollup (unit, period_start, seconds, numbers)
    select 'hour', period_start, seconds, numbers from (${timeToLivePartials(classified)}) as partial
  `.execute(db)
}

async function recomputeDays(db: Kysely<Database>, days: readonly Date[]): Promise<void> {
  await sql`
    with counts as (
      delete from provisioning_stats_rollup where unit = 'day' and period_start = any(${timestamps(days)})
    ), area_codes as (
      delete from provisioning_stats_area_code_rollup where unit = 'day' and period_start = any(${timestamps(days)})
    )
    delete from provisioning_stats_time_to_live_rollup where unit = 'day' and period_start = any(${timestamps(days)})
  `.execute(db)
  await sql`
    with day as (select unnest(${timestamps(days)}) as day_start),
    counts as (
      insert into provisioning_stats_rollup (unit, period_start, organization_id, failure_reason, attempts, succeeded,
        detected_by_webhook, detected_by_poll, detected_by_manual)
      select 'day', day.day_start, hour.organization_id, hour.failure_reason, sum(hour.attempts), sum(hour.succeeded),
        sum(hour.detected_by_webhook), sum(hour.detected_by_poll), sum(hour.detected_by_manual)
      from day
      join provisioning_stats_rollup as hour on hour.unit = 'hour'
        and hour.period_start >= day.day_start and hour.period_start < day.day_start + interval '24 hours'
      group by day.day_start, hour.organization_id, hour.failure_reason
    ),
    area_codes as (
      insert into provisioning_stats_area_code_rollup (unit, period_start, area_code, requested, unavailable)
      select 'day', day.day_start, hour.area_code, sum(hour.requested), sum(hour.unavailable)
      from day
      join provisioning_stats_area_code_rollup as hour on hour.unit = 'hour'
        and hour.period_start >= day.day_start and hour.period_start < day.day_start + interval '24 hours'
      group by day.day_start, hour.area_code
    )
    insert into provisioning_stats_time_to_live_rollup (unit, period_start, seconds, numbers)
    select 'day', day.day_start, hour.seconds, sum(hour.numbers)
    from day
    join provisioning_stats_time_to_live_rollup as hour on hour.unit = 'hour'
      and hour.period_start >= day.day_start and hour.period_start < day.day_start + interval '24 hours'
    group by day.day_start, hour.seconds
  `.execute(db)
}

/**
 * Brings the rollups up to date with every committed change; returns how many hours it recomputed.
 *
 * Concurrency: refreshes take turns (an advisory lock), so two never re-sum the same day from different hours.
 * Claiming deletes only committed marks; a change still uncommitted leaves its mark for the next refresh, and a
 * change that committed before the claim is visible to the recomputation, which runs in a later statement.
 */
export async function refreshProvisioningStatsRollups(db: Kysely<Database>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('dialtone.provisioning_stats_refresh'))`.execute(trx)
    const claimed = await sql`
      with claimed as (delete from provisioning_stats_dirty_hour returning hour_start)
      select distinct hour_start from claimed order by hour_start`.execute(trx)
    const hours = claimed.rows.map((row) => claimedHourSchema.parse(row).hour_start)
    if (hours.length === 0) return 0
    for (const chunk of chunksOf(hours, hoursPerStatement)) await recomputeHours(trx, chunk)
    const days = [...new Set(hours.map((hour) => floorTo(hour, dayMs).getTime()))].map((time) => new Date(time))
    for (const chunk of chunksOf(days, hoursPerStatement)) await recomputeDays(trx, chunk)
    return hours.length
  })
}
