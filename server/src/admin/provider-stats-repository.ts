import { providerStatsSchema, type ProviderStats, type ProvisioningStats } from '@dialtone/shared/provisioning-stats'
import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '../db/schema.ts'
import type { StatsRange } from './stats-range.ts'

const carrierRowsSchema = z.array(providerStatsSchema)

/**
 * Carrier purchases and imports in the range, per carrier and country and per carrier (country null), as the
 * contract's Counts with time to live. The same rules as the Vapi attempts (attempt-classification.ts): succeeded is
 * "its number went live", a failure has one reason, time to live is whole seconds from request to live with
 * percentiles interpolated as percentile_cont does. Carrier purchases are few, so they are read raw by their time.
 */
async function carrierStats(db: Kysely<Database>, range: StatsRange): Promise<ProviderStats[]> {
  const organizationFilter =
    range.organizationId === undefined ? sql`true` : sql`purchase.organization_id = ${range.organizationId}`
  const result = await sql<{ rows: unknown }>`
    with classified as (
      select purchase.carrier as provider, purchase.country,
        phone.activated_at is not null as is_succeeded,
        case
          when phone.activated_at is not null then ''
          when purchase.step in ('refused', 'released', 'kept') or phone.status = 'failed'
            then coalesce(purchase.failure_code, phone.failure_code, 'unknown')
          else ''
        end as failure_reason,
        case when phone.activated_at is not null
          then greatest(0, round(extract(epoch from phone.activated_at - purchase.created_at)))::float8
        end as seconds_to_live
      from carrier_purchase as purchase
      left join phone_number as phone on phone.id = purchase.phone_number_id
      where purchase.created_at >= ${range.from.toISOString()}::timestamptz
        and purchase.created_at < ${range.to.toISOString()}::timestamptz
        and ${organizationFilter}
    ),
    by_reason as (
      select provider, country, failure_reason, grouping(country) = 1 as is_all_countries,
        count(*)::int as attempts, (count(*) filter (where is_succeeded))::int as succeeded
      from classified
      group by grouping sets ((provider, country, failure_reason), (provider, failure_reason))
    ),
    counts as (
      select provider, case when is_all_countries then null else country end as country,
        sum(attempts)::int as attempts, sum(succeeded)::int as succeeded,
        coalesce(sum(attempts) filter (where failure_reason <> ''), 0)::int as failed,
        coalesce(jsonb_object_agg(failure_reason, attempts) filter (where failure_reason <> ''), '{}'::jsonb)
          as failures_by_reason
      from by_reason
      group by provider, is_all_countries, case when is_all_countries then null else country end
    ),
    times as (
      select provider, case when grouping(country) = 1 then null else country end as country,
        percentile_cont(0.5) within group (order by seconds_to_live) as p50,
        percentile_cont(0.9) within group (order by seconds_to_live) as p90,
        percentile_cont(0.99) within group (order by seconds_to_live) as p99
      from classified
      where seconds_to_live is not null
      group by grouping sets ((provider, country), (provider))
    )
    select coalesce(jsonb_agg(jsonb_build_object(
      'provider', counts.provider, 'country', counts.country,
      'attempts', counts.attempts, 'succeeded', counts.succeeded, 'failed', counts.failed,
      'successRate', counts.succeeded::float8 / nullif(counts.succeeded + counts.failed, 0),
      'failuresByReason', counts.failures_by_reason,
      'timeToLive', jsonb_build_object('p50Seconds', times.p50, 'p90Seconds', times.p90, 'p99Seconds', times.p99)
    ) order by counts.provider, counts.country nulls first), '[]'::jsonb) as rows
    from counts
    left join times on times.provider = counts.provider and times.country is not distinct from counts.country
  `.execute(db)
  return carrierRowsSchema.parse(result.rows[0]?.rows ?? [])
}

/**
 * The statistics' split by provider and country: Vapi's own numbers are US only, so its rows are the totals already
 * computed (one for US, one for all its countries); the carriers' come from their purchases.
 */
export async function withProviderSplit(
  db: Kysely<Database>,
  stats: ProvisioningStats,
  range: StatsRange,
): Promise<ProvisioningStats> {
  const { pendingNow: _pendingNow, oldestPendingSeconds: _oldest, ...vapiCounts } = stats.totals
  const vapi: ProviderStats[] =
    vapiCounts.attempts === 0
      ? []
      : [null, 'US'].map((country) => ({ ...vapiCounts, provider: 'vapi', country, timeToLive: stats.timeToLive }))
  return { ...stats, providers: [...vapi, ...(await carrierStats(db, range))] }
}
