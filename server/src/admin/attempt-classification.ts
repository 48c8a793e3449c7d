import { sql, type RawBuilder } from 'kysely'
import type { TimeSpan } from './stats-range.ts'

/**
 * The UTC hour or day an instant falls in. date_bin() is arithmetic on the instant, several times cheaper per row
 * than date_trunc(…, 'UTC'), which converts through a time zone; for hours and UTC days the two agree.
 */
export function utcBucketStart(bucket: 'hour' | 'day', instant: RawBuilder<unknown>): RawBuilder<unknown> {
  const stride = bucket === 'hour' ? sql.lit('1 hour') : sql.lit('24 hours')
  return sql`date_bin(${stride}::interval, ${instant}, timestamptz '2000-01-01 00:00:00+00')`
}

/**
 * The one definition of what a provisioning attempt counts as in the admin statistics (the rules below), as SQL over a set of
 * provisioning_attempt rows. Both the rollup refresh and the raw edges of a statistics query select from it, so
 * the two can never disagree.
 *
 * - An attempt is a create request that got an answer: outcome <> 'in_flight'.
 * - succeeded: its number went live (activated_at stays set even when the number is released later).
 * - failed, with a reason: Vapi refused, errored or the purchase was rolled back (the attempt's failure_code),
 *   or the number ended failed (the number's failure_code). A number that went live and failed afterwards
 *   (deleted at Vapi) counts as succeeded only, so succeeded + failed never exceeds attempts.
 * - failure_reason is '' when the attempt did not fail (live, or still pending).
 * - seconds_to_live: whole seconds from request to live, so an hour's times fit in a small histogram from which
 *   percentiles are interpolated exactly as percentile_cont would over those values.
 */
export function classifiedAttempts(attemptRows: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    select
      ${utcBucketStart('hour', sql.ref('attempt.requested_at'))} as hour_start,
      attempt.organization_id,
      attempt.area_code,
      attempt.failure_code is not distinct from 'area_code_unavailable' as is_area_code_unavailable,
      phone.activated_at is not null as is_succeeded,
      case
        when phone.activated_at is not null then ''
        when attempt.outcome in ('refused', 'rolled_back', 'error') then coalesce(attempt.failure_code, 'unknown')
        when phone.status = 'failed' then coalesce(phone.failure_code, 'unknown')
        else ''
      end as failure_reason,
      case when phone.activated_at is not null then phone.detected_by end as detected_by,
      case when phone.activated_at is not null
        then greatest(0, round(extract(epoch from phone.activated_at - attempt.requested_at)))::int
      end as seconds_to_live
    from ${attemptRows} as attempt
    left join phone_number as phone on phone.id = attempt.phone_number_id
    where attempt.outcome <> 'in_flight'`
}

/** Per hour, organisation and failure reason: the rows of provisioning_stats_rollup, from classified attempts. */
export function countPartials(classified: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    select hour_start as period_start, organization_id, failure_reason,
      count(*)::int as attempts,
      (count(*) filter (where is_succeeded))::int as succeeded,
      (count(*) filter (where detected_by = 'webhook'))::int as detected_by_webhook,
      (count(*) filter (where detected_by = 'poll'))::int as detected_by_poll,
      (count(*) filter (where detected_by = 'manual'))::int as detected_by_manual
    from ${classified}
    group by hour_start, organization_id, failure_reason`
}

/** Per hour and area code (and organisation, for the per-organisation rollup): asked for, and no number in it. */
export function areaCodePartials(
  classified: RawBuilder<unknown>,
  options: { byOrganization?: boolean } = {},
): RawBuilder<unknown> {
  const organization = options.byOrganization ? sql`organization_id, ` : sql``
  return sql`
    select hour_start as period_start, ${organization}area_code,
      count(*)::int as requested,
      (count(*) filter (where is_area_code_unavailable))::int as unavailable
    from ${classified}
    group by hour_start, ${organization}area_code`
}

/** Per hour (and organisation, for the per-organisation rollup): a histogram of whole seconds from request to live. */
export function timeToLivePartials(
  classified: RawBuilder<unknown>,
  options: { byOrganization?: boolean } = {},
): RawBuilder<unknown> {
  const organization = options.byOrganization ? sql`organization_id, ` : sql``
  return sql`
    select hour_start as period_start, ${organization}seconds_to_live as seconds, count(*)::int as numbers
    from ${classified}
    where seconds_to_live is not null
    group by hour_start, ${organization}seconds_to_live`
}

/** `column` falls in any of the half-open spans; written out so the planner sees each bound and picks index ranges. */
export function anySpan(column: RawBuilder<unknown>, spans: readonly TimeSpan[]): RawBuilder<unknown> {
  if (spans.length === 0) return sql`false`
  return sql`(${sql.join(
    spans.map(
      (span) =>
        sql`(${column} >= ${span.from.toISOString()}::timestamptz and ${column} < ${span.to.toISOString()}::timestamptz)`,
    ),
    sql` or `,
  )})`
}
