import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { VapiRateLimitedError } from '../vapi/vapi-errors.ts'
import { checkPhoneNumberAtVapi } from './check-phone-number-at-vapi.ts'
import { nextCheckDelayMs } from './poll-schedule.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'

export interface PollRoundOptions {
  /** Most numbers one process claims per round. */
  batchSize: number
  /**
   * A claimed number is not offered to anyone else for this long (a crashed poller's claim simply expires).
   * Each check re-takes the lease as it starts and renews it while Vapi has not answered, so a slow check
   * never loses its claim.
   */
  leaseMs: number
  /** Checks in flight at once; the Vapi client's rate limiter bounds requests per second on top. */
  concurrency: number
  random: () => number
}

export const defaultPollRoundOptions: PollRoundOptions = {
  batchSize: 50,
  leaseMs: 30_000,
  concurrency: 5,
  random: Math.random,
}

export interface PollRoundResult {
  claimed: number
  activated: number
  failed: number
  stillPending: number
  errors: number
  /** Claimed, but taken over by another process before this one got to them (not checked here). */
  skipped: number
  /** Set when Vapi answered 429: nothing more should be asked before this time. */
  pausedUntil: Date | null
}

/**
 * Claims the pending numbers that are due and moves their next check into the future in one statement.
 * FOR UPDATE SKIP LOCKED lets several processes claim at once without waiting on, or double-claiming, a row;
 * the partial index on next_check_at (status = 'pending') keeps the cost proportional to the due numbers.
 * The due rows are picked in a MATERIALIZED CTE: as `WHERE id IN (… LIMIT n FOR UPDATE SKIP LOCKED)` Postgres may
 * plan a nested-loop semi join that re-runs the subquery per outer row, and each re-run skips the rows the
 * statement itself just locked and takes the next n, so one process claimed every due row whatever the batch size.
 * Each claim bumps check_count: that number is the claim's token (see renewClaim).
 */
export async function claimDueNumbers(
  deps: Pick<ProvisioningDeps, 'db' | 'clock'>,
  options: Pick<PollRoundOptions, 'batchSize' | 'leaseMs'>,
) {
  return claimDueNumbersQuery(deps.db, deps.clock.now(), options).execute()
}

/** The claim statement itself, unexecuted, so its plan can be shown (EXPLAIN) exactly as it runs. */
export function claimDueNumbersQuery(
  db: Kysely<Database>,
  now: Date,
  options: Pick<PollRoundOptions, 'batchSize' | 'leaseMs'>,
) {
  return db
    .with(
      (cte) => cte('due').materialized(),
      (db) =>
        db
          .selectFrom('phone_number')
          .select('id')
          .where('status', '=', 'pending')
          .where('next_check_at', '<=', now)
          .orderBy('next_check_at')
          .limit(options.batchSize)
          .forUpdate()
          .skipLocked(),
    )
    .updateTable('phone_number')
    .from('due')
    .set((eb) => ({
      next_check_at: new Date(now.getTime() + options.leaseMs),
      check_count: eb('phone_number.check_count', '+', 1),
      last_checked_at: now,
    }))
    .whereRef('phone_number.id', '=', 'due.id')
    .where('phone_number.status', '=', 'pending')
    .returning([
      'phone_number.id',
      'phone_number.organization_id',
      'phone_number.vapi_phone_number_id',
      'phone_number.created_at',
      'phone_number.check_count',
    ])
}

type Claim = Awaited<ReturnType<typeof claimDueNumbers>>[number]

/**
 * Re-takes one claimed number for a full lease just before it is checked, if nobody else claimed it since.
 * A round works through its batch a few at a time, so the last numbers of a batch may be reached after the
 * lease taken at claim time ran out, when another process may already have claimed and be checking them;
 * check_count is compare-and-set so exactly one of the two goes on to ask Vapi.
 */
async function renewClaim(deps: Pick<ProvisioningDeps, 'db' | 'clock'>, claim: Claim, leaseMs: number) {
  const renewed = await deps.db
    .updateTable('phone_number')
    .set({ next_check_at: new Date(deps.clock.now().getTime() + leaseMs) })
    .where('id', '=', claim.id)
    .where('status', '=', 'pending')
    .where('check_count', '=', claim.check_count)
    .executeTakeFirst()
  return Number(renewed.numUpdatedRows) === 1
}

/**
 * Runs one check while keeping its claim fresh. A check can outlast the lease (Vapi slow to answer, the client
 * retrying), and a lapsed claim would let another process check the same number at the same time; renewing it
 * every third of the lease keeps the lease short, so a crashed process's numbers are soon picked up again.
 * Renewal stops, and any renewal in flight lands, before the caller writes the next check time.
 */
async function whileHoldingClaim<T>(
  deps: Pick<ProvisioningDeps, 'db' | 'clock' | 'logger'>,
  claim: Claim,
  leaseMs: number,
  work: () => Promise<T>,
): Promise<T> {
  let renewing: Promise<unknown> = Promise.resolve()
  const heartbeat = setInterval(
    () => {
      renewing = renewing
        .then(() => renewClaim(deps, claim, leaseMs))
        .catch((error: unknown) => deps.logger.warn({ err: error, phoneNumberId: claim.id }, 'could not renew a claim'))
    },
    Math.max(100, leaseMs / 3),
  )
  try {
    return await work()
  } finally {
    clearInterval(heartbeat)
    await renewing
  }
}

/** Sets the next check, unless another process claimed the number meanwhile (then the time is its to set). */
async function scheduleNextCheck(deps: Pick<ProvisioningDeps, 'db'>, claim: Claim, at: Date) {
  await deps.db
    .updateTable('phone_number')
    .set({ next_check_at: at })
    .where('id', '=', claim.id)
    .where('status', '=', 'pending')
    .where('check_count', '=', claim.check_count)
    .execute()
}

/** One round of the fallback poller: claim what is due, ask Vapi, apply, schedule the next check. */
export async function pollDueNumbers(
  deps: ProvisioningDeps,
  options: PollRoundOptions = defaultPollRoundOptions,
): Promise<PollRoundResult> {
  const claimed = await claimDueNumbers(deps, options)
  const result: PollRoundResult = {
    claimed: claimed.length,
    activated: 0,
    failed: 0,
    stillPending: 0,
    errors: 0,
    skipped: 0,
    pausedUntil: null,
  }
  const queue = [...claimed]

  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      if (result.pausedUntil) {
        await scheduleNextCheck(deps, row, result.pausedUntil)
        continue
      }
      if (!(await renewClaim(deps, row, options.leaseMs))) {
        result.skipped += 1
        continue
      }
      try {
        const { signal, transition } = await whileHoldingClaim(deps, row, options.leaseMs, () =>
          checkPhoneNumberAtVapi(deps, row, 'poll'),
        )
        if (transition?.row.status === 'active') result.activated += 1
        else if (transition?.row.status === 'failed') result.failed += 1
        else if (signal.kind === 'still-pending') {
          result.stillPending += 1
          const delay = nextCheckDelayMs(row.check_count, options.random)
          await scheduleNextCheck(deps, row, new Date(deps.clock.now().getTime() + delay))
        }
      } catch (error) {
        result.errors += 1
        if (error instanceof VapiRateLimitedError) {
          // Vapi said how long to wait; the whole poller waits, not just this number.
          const waitMs = Math.max(1_000, error.retryAfterMs ?? 5_000)
          result.pausedUntil = new Date(deps.clock.now().getTime() + waitMs)
          await scheduleNextCheck(deps, row, result.pausedUntil)
        } else {
          deps.logger.warn({ err: error, phoneNumberId: row.id }, 'poll check failed; will retry')
          const delay = nextCheckDelayMs(row.check_count + 1, options.random)
          await scheduleNextCheck(deps, row, new Date(deps.clock.now().getTime() + delay))
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.concurrency, claimed.length) }, worker))
  return result
}

/** The soonest moment any pending number is due, so an idle poller can sleep until then. */
export async function nextDueAt(deps: Pick<ProvisioningDeps, 'db'>): Promise<Date | null> {
  const row = await deps.db
    .selectFrom('phone_number')
    .select(sql<Date | null>`min(next_check_at)`.as('next'))
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return row?.next ?? null
}
