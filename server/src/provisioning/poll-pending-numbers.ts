import { VapiRateLimitedError } from '../vapi/vapi-errors.ts'
import { checkPhoneNumberAtVapi } from './check-phone-number-at-vapi.ts'
import { claimDueNumbers, releaseClaimUntil, setNextCheckIfStillClaimed, type Claim } from './poll-claim-repository.ts'
import { nextCheckDelayMs, perNumberSchedule } from './poll-schedule.ts'
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
  /** Set when Vapi answered 429 for some account: that account's numbers are not asked before this time. */
  pausedUntil: Date | null
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
        .then(() => setNextCheckIfStillClaimed(deps.db, claim, new Date(deps.clock.now().getTime() + leaseMs)))
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

/** One round of the fallback poller: claim what is due, ask Vapi, apply, schedule the next check. */
export async function pollDueNumbers(
  deps: ProvisioningDeps,
  options: PollRoundOptions = defaultPollRoundOptions,
): Promise<PollRoundResult> {
  const claimed = await claimDueNumbers(deps.db, deps.clock.now(), { ...options, processId: deps.processId })
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
  // Retry-After is per Vapi account: one account's pause moves only its own numbers, the others are still asked.
  const pausedByAccount = new Map<string, Date>()
  const accountOf = (row: (typeof claimed)[number]) => row.vapi_account ?? 'platform'

  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const accountPausedUntil = pausedByAccount.get(accountOf(row))
      if (accountPausedUntil) {
        await releaseClaimUntil(deps.db, row, accountPausedUntil)
        continue
      }
      if (!(await setNextCheckIfStillClaimed(deps.db, row, new Date(deps.clock.now().getTime() + options.leaseMs)))) {
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
          const delay = nextCheckDelayMs(row.check_count, options.random, perNumberSchedule())
          await releaseClaimUntil(deps.db, row, new Date(deps.clock.now().getTime() + delay))
        }
      } catch (error) {
        result.errors += 1
        if (error instanceof VapiRateLimitedError) {
          // Vapi said how long to wait; every number of this account waits, not just this one.
          const waitMs = Math.max(1_000, error.retryAfterMs ?? 5_000)
          const until = new Date(deps.clock.now().getTime() + waitMs)
          pausedByAccount.set(accountOf(row), until)
          if (!result.pausedUntil || until > result.pausedUntil) result.pausedUntil = until
          await releaseClaimUntil(deps.db, row, until)
        } else {
          deps.logger.warn({ err: error, phoneNumberId: row.id }, 'poll check failed; will retry')
          const delay = nextCheckDelayMs(row.check_count + 1, options.random, perNumberSchedule())
          await releaseClaimUntil(deps.db, row, new Date(deps.clock.now().getTime() + delay))
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.concurrency, claimed.length) }, worker))
  return result
}
