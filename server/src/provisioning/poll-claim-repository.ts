import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { claimHolderIsGone } from '../processes/worker-process-repository.ts'

/** The poller's claims on pending numbers: what poll-pending-numbers.ts runs against the database. */

export interface ClaimOptions {
  batchSize: number
  leaseMs: number
  /** Written beside each claim (poll_claimed_by): once this process stops beating, others take its claims. */
  processId?: string
}

/**
 * Claims the pending numbers that are due and moves their next check into the future in one statement.
 * FOR UPDATE SKIP LOCKED lets several processes claim at once without waiting on, or double-claiming, a row;
 * the partial index on next_check_at (status = 'pending') keeps the cost proportional to the due numbers.
 * The due rows are picked in a MATERIALIZED CTE: as `WHERE id IN (… LIMIT n FOR UPDATE SKIP LOCKED)` Postgres may
 * plan a nested-loop semi join that re-runs the subquery per outer row, and each re-run skips the rows the
 * statement itself just locked and takes the next n, so one process claimed every due row whatever the batch size.
 * Each claim bumps check_count: that number is the claim's token (see setNextCheckIfStillClaimed).
 * A number whose claim is held by a process that stopped beating (killed mid-check) is due at once, not when the
 * lease runs out; a live process's claim, however slow its check, is never taken (it renews the lease).
 */
export async function claimDueNumbers(db: Kysely<Database>, now: Date, options: ClaimOptions) {
  return claimDueNumbersQuery(db, now, options).execute()
}

/** The claim statement itself, unexecuted, so its plan can be shown (EXPLAIN) exactly as it runs. */
export function claimDueNumbersQuery(db: Kysely<Database>, now: Date, options: ClaimOptions) {
  return db
    .with(
      (cte) => cte('due').materialized(),
      (db) =>
        db
          .selectFrom('phone_number')
          .select('id')
          .where('status', '=', 'pending')
          .where((eb) =>
            eb.or([eb('next_check_at', '<=', now), claimHolderIsGone(sql.ref('phone_number.poll_claimed_by'))]),
          )
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
      poll_claimed_by: options.processId ?? null,
    }))
    .whereRef('phone_number.id', '=', 'due.id')
    .where('phone_number.status', '=', 'pending')
    .returning([
      'phone_number.id',
      'phone_number.organization_id',
      'phone_number.vapi_phone_number_id',
      'phone_number.created_at',
      'phone_number.check_count',
      'phone_number.vapi_account',
    ])
}

export type Claim = Awaited<ReturnType<typeof claimDueNumbers>>[number]

/**
 * Sets a claimed number's next check to `at` if nobody else claimed it since: check_count is the claim's token,
 * compared and set, so of two processes holding claims on one number exactly one moves it. The poller uses it to
 * re-take a full lease just before a check (a round works through its batch a few at a time, so a claim taken at
 * its start may have run out and been taken by another process, which then checks the number alone) and to set
 * the next check afterwards (if the number was claimed meanwhile, that time is the other claim's to set).
 */
export async function setNextCheckIfStillClaimed(db: Kysely<Database>, claim: Claim, at: Date): Promise<boolean> {
  return moveClaimedNumber(db, claim, { next_check_at: at })
}

/**
 * Lets go of a claim and sets the number's next check to `at` (compared and set like setNextCheckIfStillClaimed):
 * between checks nobody holds it, so the death of the process that checked it last changes nothing.
 */
export async function releaseClaimUntil(db: Kysely<Database>, claim: Claim, at: Date): Promise<boolean> {
  return moveClaimedNumber(db, claim, { next_check_at: at, poll_claimed_by: null })
}

async function moveClaimedNumber(
  db: Kysely<Database>,
  claim: Claim,
  change: { next_check_at: Date; poll_claimed_by?: null },
): Promise<boolean> {
  const moved = await db
    .updateTable('phone_number')
    .set(change)
    .where('id', '=', claim.id)
    .where('status', '=', 'pending')
    .where('check_count', '=', claim.check_count)
    .executeTakeFirst()
  return Number(moved.numUpdatedRows) === 1
}

/** The soonest moment any pending number is due, so an idle poller can sleep until then. */
export async function nextDueAt(db: Kysely<Database>): Promise<Date | null> {
  const row = await db
    .selectFrom('phone_number')
    .select(sql<Date | null>`min(next_check_at)`.as('next'))
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return row?.next ?? null
}
