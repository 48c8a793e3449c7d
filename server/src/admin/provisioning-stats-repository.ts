import { provisioningStatsSchema, type ProvisioningStats } from '@dialtone/shared/provisioning-stats'
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../db/schema.ts'
import {
  anySpan,
  areaCodePartials,
  classifiedAttempts,
  countPartials,
  timeToLivePartials,
  utcBucketStart,
} from './attempt-classification.ts'
import { withProviderSplit } from './provider-stats-repository.ts'
import { refreshProvisioningStatsRollups } from './provisioning-stats-rollup-repository.ts'
import { planRangeParts, type StatsRange, type TimeSpan } from './stats-range.ts'

export const topAreaCodes = 20
export const topOrganizations = 100

const bucketStep = { hour: '1 hour', day: '24 hours' } as const
const classified = sql.raw('classified_attempt')

/** Rollup rows for the whole hours and days of the range. */
function rollupRows(hours: readonly TimeSpan[], days: readonly TimeSpan[]): RawBuilder<unknown> {
  return sql`((unit = 'hour' and ${anySpan(sql.ref('period_start'), hours)})
    or (unit = 'day' and ${anySpan(sql.ref('period_start'), days)}))`
}

/**
 * Counts as the contract's Counts object, over rows already grouped by (whatever is being counted, failure_reason),
 * so each reason appears once in failuresByReason.
 */
const countsObject = sql`jsonb_build_object(
  'attempts', coalesce(sum(attempts), 0),
  'succeeded', coalesce(sum(succeeded), 0),
  'failed', coalesce(sum(attempts) filter (where failure_reason <> ''), 0),
  'successRate', sum(succeeded)::float8
    / nullif(coalesce(sum(succeeded), 0) + coalesce(sum(attempts) filter (where failure_reason <> ''), 0), 0),
  'failuresByReason', coalesce(jsonb_object_agg(failure_reason, attempts) filter (where failure_reason <> ''), '{}'::jsonb)
)`

const emptyCounts = sql`jsonb_build_object(
  'attempts', 0, 'succeeded', 0, 'failed', 0, 'successRate', null, 'failuresByReason', '{}'::jsonb)`
const emptyTimeToLive = sql`jsonb_build_object('p50Seconds', null, 'p90Seconds', null, 'p99Seconds', null)`

function isoUtc(column: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
}

/**
 * The provisioning statistics of a range (attempt-classification.ts says what each figure counts), in one statement after the
 * rollups are brought up to date. Whole hours and days come from the rollups; partial hours at the edges, and
 * everything when one organisation is asked for, come from the raw attempts through the same definition.
 */
export async function getProvisioningStats(
  db: Kysely<Database>,
  query: StatsRange,
  now: Date,
): Promise<ProvisioningStats> {
  const parts = planRangeParts(query)
  if (parts.hours.length > 0 || parts.days.length > 0) await refreshProvisioningStatsRollups(db)
  const result = await db.transaction().execute(async (trx) => {
    // Every part of this statement reads a few thousand rows; starting parallel workers for them costs more than
    // it saves (hundreds of milliseconds on a busy machine, measured).
    await sql`set local max_parallel_workers_per_gather = 0`.execute(trx)
    return provisioningStatsStatement(query, now).execute(trx)
  })
  const row = result.rows[0]
  const stats = row !== null && typeof row === 'object' && 'stats' in row ? row.stats : undefined
  const parsed = provisioningStatsSchema.parse({
    range: { from: query.from.toISOString(), to: query.to.toISOString(), bucket: query.bucket },
    ...(typeof stats === 'object' && stats !== null ? stats : {}),
  })
  return withProviderSplit(db, await withFilteredOrganization(db, parsed, query.organizationId), query)
}

/**
 * A filter names one organisation, so the answer names it too, even when it made no attempts in the range: the
 * page says "Showing Northwind Dental only" rather than an id, and its live numbers still count.
 */
async function withFilteredOrganization(
  db: Kysely<Database>,
  stats: ProvisioningStats,
  organizationId: string | undefined,
): Promise<ProvisioningStats> {
  if (organizationId === undefined || stats.organizations.some((entry) => entry.id === organizationId)) return stats
  const found = await db
    .selectFrom('organization')
    .select((eb) => [
      'organization.name',
      eb
        .selectFrom('phone_number')
        .select((inner) => inner.fn.countAll<number>().as('live'))
        .where('phone_number.organization_id', '=', organizationId)
        .where('phone_number.status', '=', 'active')
        .as('live_now'),
    ])
    .where('organization.id', '=', organizationId)
    .executeTakeFirst()
  if (!found) return stats
  const none = { attempts: 0, succeeded: 0, failed: 0, successRate: null, failuresByReason: {} }
  const entry = { ...none, id: organizationId, name: found.name, liveNow: Number(found.live_now ?? 0) }
  return { ...stats, organizations: [...stats.organizations, entry] }
}

/** The one statement behind getProvisioningStats (exported so the benchmark can EXPLAIN it); rollups must be fresh. */
export function provisioningStatsStatement(query: StatsRange, now: Date): RawBuilder<unknown> {
  const parts = planRangeParts(query)
  const bucket = query.bucket
  const organizationFilter =
    query.organizationId === undefined ? sql`true` : sql`organization_id = ${query.organizationId}`
  const rawAttempts = sql`(
    select * from provisioning_attempt
    where ${anySpan(sql.ref('requested_at'), parts.raw)} and ${organizationFilter}
  )`
  const fromRollups = rollupRows(parts.hours, parts.days)
  // One organisation: its own rows of the count rollup, and the per-organisation area-code and time-to-live rollups.
  const isOneOrganization = query.organizationId !== undefined
  const ofOrganization = isOneOrganization ? sql`and organization_id = ${query.organizationId}` : sql``
  const areaCodeRollup = sql.table(
    isOneOrganization ? 'provisioning_stats_organization_area_code_rollup' : 'provisioning_stats_area_code_rollup',
  )
  const timeToLiveRollup = sql.table(
    isOneOrganization
      ? 'provisioning_stats_organization_time_to_live_rollup'
      : 'provisioning_stats_time_to_live_rollup',
  )
  const bucketOf = (column: RawBuilder<unknown>) => utcBucketStart(bucket, column)

  return sql`
    with ${classified} as materialized (${classifiedAttempts(rawAttempts)}),
    count_part as (
      select period_start, organization_id, failure_reason, attempts, succeeded,
        detected_by_webhook, detected_by_poll, detected_by_manual
      from provisioning_stats_rollup where ${fromRollups} ${ofOrganization}
      union all
      ${countPartials(classified)}
    ),
    area_code_part as (
      select period_start, area_code, requested, unavailable
      from ${areaCodeRollup} where ${fromRollups} ${ofOrganization}
      union all
      ${areaCodePartials(classified)}
    ),
    time_to_live_part as (
      select period_start, seconds, numbers from ${timeToLiveRollup} where ${fromRollups} ${ofOrganization}
      union all
      ${timeToLivePartials(classified)}
    ),

    bucket as (
      select generate_series(
        ${utcBucketStart(bucket, sql`${query.from.toISOString()}::timestamptz`)},
        ${query.to.toISOString()}::timestamptz - interval '1 microsecond',
        ${bucketStep[bucket]}::interval
      ) as bucket_start
    ),
    -- One pass over the partial counts: per bucket and reason, and per organisation and reason.
    count_summary as (
      select bucket_start, organization_id, failure_reason, grouping(organization_id) = 1 as is_per_bucket,
        sum(attempts) as attempts, sum(succeeded) as succeeded, sum(detected_by_webhook) as detected_by_webhook,
        sum(detected_by_poll) as detected_by_poll, sum(detected_by_manual) as detected_by_manual
      from (select ${bucketOf(sql.ref('period_start'))} as bucket_start, * from count_part) as part
      group by grouping sets ((bucket_start, failure_reason), (organization_id, failure_reason))
    ),
    bucket_counts as (
      select bucket_start, ${countsObject} as counts from count_summary where is_per_bucket group by bucket_start
    ),
    range_reason as (
      select failure_reason, sum(attempts) as attempts, sum(succeeded) as succeeded
      from count_summary where is_per_bucket group by failure_reason
    ),
    organization_counts as (
      select organization_id, sum(attempts) as attempts, ${countsObject} as counts
      from count_summary where not is_per_bucket group by organization_id
      order by attempts desc, organization_id
      limit ${topOrganizations}
    ),
    area_code_counts as (
      select area_code, sum(requested) as requested, sum(unavailable) as unavailable
      from area_code_part group by area_code
      order by requested desc, area_code
      limit ${topAreaCodes}
    ),

    -- Percentiles interpolated from the histogram the way percentile_cont does over the sorted values, in the same
    -- double arithmetic: position p × (n − 1), the values at its floor and ceiling, and a linear step between them.
    -- bucket_start is null for the histogram of the whole range.
    time_to_live_histogram as (
      select bucket_start, seconds, sum(numbers) as numbers
      from (select ${bucketOf(sql.ref('period_start'))} as bucket_start, seconds, numbers from time_to_live_part) as part
      group by grouping sets ((bucket_start, seconds), (seconds))
    ),
    time_to_live_cumulative as (
      select bucket_start, seconds, numbers,
        sum(numbers) over (partition by bucket_start order by seconds) - numbers as below,
        0.5::float8 * ((sum(numbers) over (partition by bucket_start)) - 1)::float8 as p50,
        0.9::float8 * ((sum(numbers) over (partition by bucket_start)) - 1)::float8 as p90,
        0.99::float8 * ((sum(numbers) over (partition by bucket_start)) - 1)::float8 as p99
      from time_to_live_histogram
    ),
    time_to_live_bounds as (
      select bucket_start, max(p50) as p50, max(p90) as p90, max(p99) as p99,
        max(seconds) filter (where below <= floor(p50) and floor(p50) < below + numbers) as low50,
        max(seconds) filter (where below <= ceil(p50) and ceil(p50) < below + numbers) as high50,
        max(seconds) filter (where below <= floor(p90) and floor(p90) < below + numbers) as low90,
        max(seconds) filter (where below <= ceil(p90) and ceil(p90) < below + numbers) as high90,
        max(seconds) filter (where below <= floor(p99) and floor(p99) < below + numbers) as low99,
        max(seconds) filter (where below <= ceil(p99) and ceil(p99) < below + numbers) as high99
      from time_to_live_cumulative group by bucket_start
    ),
    time_to_live as (
      select bucket_start, jsonb_build_object(
        'p50Seconds', low50 + (p50 - floor(p50)) * (high50 - low50),
        'p90Seconds', low90 + (p90 - floor(p90)) * (high90 - low90),
        'p99Seconds', low99 + (p99 - floor(p99)) * (high99 - low99)
      ) as summary
      from time_to_live_bounds
    ),

    pending as (
      select count(*)::int as pending_now,
        -- greatest() skips nulls, so no pending number has to stay null explicitly.
        case when count(*) > 0
          then greatest(0, floor(extract(epoch from ${now.toISOString()}::timestamptz - min(created_at))))::int
        end as oldest_seconds
      from phone_number where status = 'pending' and ${organizationFilter}
    ),
    -- Live right now, whenever they were bought: "went live" counts attempts in the range, this counts numbers.
    -- The triggers' counts plus the deltas not folded yet (migration 0017): count(*) of active numbers, exactly.
    live_now as (
      select organization_id, sum(live_now)::int as live_now
      from (
        select organization_id, live_now from provisioning_stats_live_count
        union all
        select organization_id, delta from provisioning_stats_live_delta
      ) as live
      where organization_id in (select organization_id from organization_counts)
        and ${isOneOrganization ? sql`organization_id = ${query.organizationId}` : sql`true`}
      group by organization_id
    )

    select jsonb_build_object(
      'totals', (select ${countsObject} from range_reason) || (
        select jsonb_build_object('pendingNow', pending_now, 'oldestPendingSeconds', oldest_seconds) from pending
      ),
      'buckets', (
        select jsonb_agg(
          jsonb_build_object('start', ${isoUtc(sql.ref('bucket.bucket_start'))})
            || coalesce(bucket_counts.counts, ${emptyCounts})
            || jsonb_build_object('timeToLive', coalesce(time_to_live.summary, ${emptyTimeToLive}))
          order by bucket.bucket_start)
        from bucket
        left join bucket_counts on bucket_counts.bucket_start = bucket.bucket_start
        left join time_to_live on time_to_live.bucket_start = bucket.bucket_start
      ),
      'timeToLive', coalesce((select summary from time_to_live where bucket_start is null), ${emptyTimeToLive}),
      'detectedBy', (
        select jsonb_build_object(
          'webhook', coalesce(sum(detected_by_webhook), 0),
          'poll', coalesce(sum(detected_by_poll), 0),
          'manual', coalesce(sum(detected_by_manual), 0))
        from count_summary where is_per_bucket
      ),
      'areaCodes', coalesce((
        select jsonb_agg(jsonb_build_object('areaCode', area_code, 'requested', requested, 'unavailable', unavailable)
          order by requested desc, area_code)
        from area_code_counts
      ), '[]'::jsonb),
      'organizations', coalesce((
        select jsonb_agg(
          jsonb_build_object('id', organization_counts.organization_id,
            'name', coalesce(organization.name, organization_counts.organization_id),
            'liveNow', coalesce(live_now.live_now, 0)) || organization_counts.counts
          order by organization_counts.attempts desc, organization_counts.organization_id)
        from organization_counts
        left join organization on organization.id = organization_counts.organization_id
        left join live_now on live_now.organization_id = organization_counts.organization_id
      ), '[]'::jsonb)
    ) as stats
  `
}
