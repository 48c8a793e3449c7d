import { sql } from 'kysely'
import { VapiRateLimitedError } from '../vapi/vapi-errors.ts'
import { checkPhoneNumberAtVapi } from './check-phone-number-at-vapi.ts'
import { nextCheckDelayMs } from './poll-schedule.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'

export interface PollRoundOptions {
  /** Most numbers one process claims per round. */
  batchSize: number
  /** A claimed number is not offered to anyone else for this long (a crashed poller's claim simply expires). */
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
  /** Set when Vapi answered 429: nothing more should be asked before this time. */
  pausedUntil: Date | null
}

/**
 * Claims the pending numbers that are due and moves their next check into the future in one statement.
 * FOR UPDATE SKIP LOCKED lets several processes claim at once without waiting on, or double-claiming, a row;
 * the partial index on next_check_at (status = 'pending') keeps the cost proportional to the due numbers.
 */
export async function claimDueNumbers(
  deps: Pick<ProvisioningDeps, 'db' | 'clock'>,
  options: Pick<PollRoundOptions, 'batchSize' | 'leaseMs'>,
) {
  const now = deps.clock.now()
  return deps.db
    .updateTable('phone_number')
    .set((eb) => ({
      next_check_at: new Date(now.getTime() + options.leaseMs),
      check_count: eb('check_count', '+', 1),
      last_checked_at: now,
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('phone_number')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_check_at', '<=', now)
        .orderBy('next_check_at')
        .limit(options.batchSize)
        .forUpdate()
        .skipLocked(),
    )
    .where('status', '=', 'pending')
    .returning(['id', 'vapi_phone_number_id', 'created_at', 'check_count'])
    .execute()
}

async function scheduleNextCheck(deps: Pick<ProvisioningDeps, 'db'>, phoneNumberId: string, at: Date) {
  await deps.db
    .updateTable('phone_number')
    .set({ next_check_at: at })
    .where('id', '=', phoneNumberId)
    .where('status', '=', 'pending')
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
    pausedUntil: null,
  }
  const queue = [...claimed]

  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      if (result.pausedUntil) {
        await scheduleNextCheck(deps, row.id, result.pausedUntil)
        continue
      }
      try {
        const { signal, transition } = await checkPhoneNumberAtVapi(deps, row, 'poll')
        if (transition?.row.status === 'active') result.activated += 1
        else if (transition?.row.status === 'failed') result.failed += 1
        else if (signal.kind === 'still-pending') {
          result.stillPending += 1
          const delay = nextCheckDelayMs(row.check_count, options.random)
          await scheduleNextCheck(deps, row.id, new Date(deps.clock.now().getTime() + delay))
        }
      } catch (error) {
        result.errors += 1
        if (error instanceof VapiRateLimitedError) {
          // Vapi said how long to wait; the whole poller waits, not just this number.
          const waitMs = Math.max(1_000, error.retryAfterMs ?? 5_000)
          result.pausedUntil = new Date(deps.clock.now().getTime() + waitMs)
          await scheduleNextCheck(deps, row.id, result.pausedUntil)
        } else {
          deps.logger.warn({ err: error, phoneNumberId: row.id }, 'poll check failed; will retry')
          const delay = nextCheckDelayMs(row.check_count + 1, options.random)
          await scheduleNextCheck(deps, row.id, new Date(deps.clock.now().getTime() + delay))
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
