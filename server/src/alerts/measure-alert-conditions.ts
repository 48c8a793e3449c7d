import type { AlertRuleKind } from '@dialtone/shared/admin-alerts'
import { sql, type Kysely } from 'kysely'
import { classifiedAttempts } from '../admin/attempt-classification.ts'
import type { Database } from '../db/schema.ts'

/** What a rule measured: whether it fires, the figure, and a sentence an admin reads in the banner and the mail. */
export interface Measurement {
  isFiring: boolean
  value: number | null
  summary: string
}

const hourMs = 3_600_000
/** Below this many settled attempts (or live numbers) in the hour, a rate or percentile says nothing yet. */
export const minimumSamples = 5
/** Failures that say Vapi itself is in trouble (not the owner's request). */
const vapiFailureCodes = ['vapi_unavailable', 'vapi_rate_limited', 'vapi_unauthorized'] as const

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`
}

interface HourFigures {
  succeeded: number
  failed: number
  livedCount: number
  p90Seconds: number | null
}

/** Success and time to live over the last hour, by the admin page's own definition of an attempt. */
async function lastHourFigures(db: Kysely<Database>, now: Date): Promise<HourFigures> {
  const since = new Date(now.getTime() - hourMs)
  const attempts = sql`(select * from provisioning_attempt where requested_at >= ${since} and requested_at <= ${now})`
  const result = await sql<{ succeeded: number; failed: number; lived: number; p90: number | null }>`
    select
      (count(*) filter (where is_succeeded))::int as succeeded,
      (count(*) filter (where failure_reason <> ''))::int as failed,
      (count(seconds_to_live))::int as lived,
      percentile_cont(0.9) within group (order by seconds_to_live)::float8 as p90
    from (${classifiedAttempts(attempts)}) as classified`.execute(db)
  const row = result.rows[0]
  return {
    succeeded: row?.succeeded ?? 0,
    failed: row?.failed ?? 0,
    livedCount: row?.lived ?? 0,
    p90Seconds: row?.p90 ?? null,
  }
}

async function measureSuccessRate(db: Kysely<Database>, now: Date, threshold: number): Promise<Measurement> {
  const { succeeded, failed } = await lastHourFigures(db, now)
  const settled = succeeded + failed
  if (settled < minimumSamples) {
    return { isFiring: false, value: null, summary: `Only ${settled} settled attempts in the last hour` }
  }
  const rate = succeeded / settled
  return {
    isFiring: rate < threshold,
    value: rate,
    summary: `Success rate over the last hour is ${percent(rate)} (${succeeded} of ${settled}), ${rate < threshold ? 'below' : 'at or above'} ${percent(threshold)}`,
  }
}

async function measureTimeToLive(db: Kysely<Database>, now: Date, threshold: number): Promise<Measurement> {
  const { livedCount, p90Seconds } = await lastHourFigures(db, now)
  if (livedCount < minimumSamples || p90Seconds === null) {
    return { isFiring: false, value: p90Seconds, summary: `Only ${livedCount} numbers went live in the last hour` }
  }
  const seconds = Math.round(p90Seconds)
  return {
    isFiring: p90Seconds > threshold,
    value: p90Seconds,
    summary: `Time to live p90 over the last hour is ${seconds} s, ${p90Seconds > threshold ? 'above' : 'within'} ${threshold} s`,
  }
}

async function measurePendingPastDeadline(
  db: Kysely<Database>,
  now: Date,
  threshold: number,
  deadlineMs: number,
): Promise<Measurement> {
  const cutoff = new Date(now.getTime() - deadlineMs - threshold * 60_000)
  const row = await db
    .selectFrom('phone_number')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('status', '=', 'pending')
    .where('created_at', '<', cutoff)
    .executeTakeFirst()
  const count = Number(row?.count ?? 0)
  const deadlineMinutes = Math.round(deadlineMs / 60_000)
  return {
    isFiring: count > 0,
    value: count,
    summary:
      count === 0
        ? `No number is pending more than ${threshold} min past its ${deadlineMinutes} min deadline`
        : `${count} number${count === 1 ? ' is' : 's are'} still pending more than ${threshold} min past the ${deadlineMinutes} min deadline (is the worker running?)`,
  }
}

/** The latest `threshold` answered purchases in the last hour all failed on Vapi's side (5xx, timeouts, 429, 401). */
async function measureVapiFailing(db: Kysely<Database>, now: Date, threshold: number): Promise<Measurement> {
  const since = new Date(now.getTime() - hourMs)
  const latest = await db
    .selectFrom('provisioning_attempt')
    .select(['outcome', 'failure_code'])
    .where('outcome', '<>', 'in_flight')
    .where('requested_at', '>=', since)
    .orderBy('requested_at', 'desc')
    .limit(threshold)
    .execute()
  const isVapiFailure = (attempt: { failure_code: string | null }) =>
    (vapiFailureCodes as readonly (string | null)[]).includes(attempt.failure_code)
  let streak = 0
  for (const attempt of latest) {
    if (!isVapiFailure(attempt)) break
    streak++
  }
  return {
    isFiring: streak >= threshold,
    value: streak,
    summary:
      streak >= threshold
        ? `Vapi failed the last ${streak} purchases in a row`
        : streak === 0
          ? 'Vapi answered the latest purchase'
          : `Vapi failed the last ${streak} purchases (alert at ${threshold})`,
  }
}

export function measureRule(
  db: Kysely<Database>,
  input: { kind: AlertRuleKind; threshold: number; now: Date; deadlineMs: number },
): Promise<Measurement> {
  switch (input.kind) {
    case 'success_rate_below':
      return measureSuccessRate(db, input.now, input.threshold)
    case 'time_to_live_p90_above':
      return measureTimeToLive(db, input.now, input.threshold)
    case 'pending_past_deadline':
      return measurePendingPastDeadline(db, input.now, input.threshold, input.deadlineMs)
    case 'vapi_failing':
      return measureVapiFailing(db, input.now, input.threshold)
  }
}
