import { deleteExpiredRateLimitCounters } from '../security/rate-limit-store.ts'
import { deleteOldWebhookDeliveries } from './webhook-delivery-repository.ts'
import { deleteExpiredIdempotencyKeys } from './idempotency-repository.ts'
import { nextDueAt } from './poll-claim-repository.ts'
import { defaultPollRoundOptions, pollDueNumbers, type PollRoundOptions } from './poll-pending-numbers.ts'
import { pollChangeFeeds, type FeedRoundResult } from './poll-change-feed.ts'
import { changeFeed } from './poll-schedule.ts'
import type { ProvisioningDeps } from './provisioning-deps.ts'
import { reconcileInterruptedAttempts, settleDelayMs } from './reconcile-interrupted-attempts.ts'
import { retryVapiOrphans } from './retry-vapi-orphans.ts'

export interface ProvisioningWorker {
  /** A number was just created: look sooner than the idle sleep would. */
  wake(): void
  /** Finishes the round in progress, then stops. */
  stop(): Promise<void>
}

export interface WorkerOptions {
  /** Longest sleep between rounds when nothing is due (new numbers also wake it). */
  idleMs: number
  /** How often the orphan and housekeeping jobs run. */
  housekeepingMs: number
  /** How old an attempt with an unknown outcome must be before it is looked up at Vapi. */
  reconcileSettleMs: number
  pollRound: PollRoundOptions
  onRound?: (result: Awaited<ReturnType<typeof pollDueNumbers>>) => void
  /** Other sagas due each round (carrier purchases, decision 0014): run after the poll, errors logged. */
  alsoEachRound?: () => Promise<unknown>
  /** Other housekeeping, every housekeepingMs (old carrier webhook events). */
  alsoInHousekeeping?: () => Promise<unknown>
  /** After each round of the change feed (when it runs). */
  onFeedRound?: (result: FeedRoundResult) => void
}

export const defaultWorkerOptions: WorkerOptions = {
  idleMs: 1_000,
  housekeepingMs: 30_000,
  reconcileSettleMs: settleDelayMs,
  pollRound: defaultPollRoundOptions,
}

/**
 * The background loop of a worker process: the fallback poller, then every housekeepingMs the reconciler of
 * interrupted purchases, orphan deletes at Vapi and expired idempotency keys.
 */
export function startProvisioningWorker(
  deps: ProvisioningDeps,
  options: WorkerOptions = defaultWorkerOptions,
): ProvisioningWorker {
  let isStopping = false
  let wakeSleeper: (() => void) | null = null
  let lastHousekeeping = 0

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wakeSleeper = null
        resolve()
      }, ms)
      wakeSleeper = () => {
        clearTimeout(timer)
        wakeSleeper = null
        resolve()
      }
    })

  const loop = async () => {
    while (!isStopping) {
      let sleepMs = options.idleMs
      try {
        const now = deps.clock.now().getTime()
        // The change feed first: one list call per due Vapi account answers for all its pending numbers.
        const feed = changeFeed.enabled ? await pollChangeFeeds(deps) : null
        if (feed) options.onFeedRound?.(feed)
        // A paused account's numbers were moved to after its pause (next_check_at), so the next due time
        // already waits for it; other accounts' numbers are still checked meanwhile.
        const result = await pollDueNumbers(deps, options.pollRound)
        options.onRound?.(result)
        if (result.claimed >= options.pollRound.batchSize) sleepMs = 0
        await options.alsoEachRound?.()
        if (now - lastHousekeeping >= options.housekeepingMs) {
          lastHousekeeping = now
          await reconcileInterruptedAttempts(deps, { settleMs: options.reconcileSettleMs })
          await retryVapiOrphans(deps)
          await deleteExpiredIdempotencyKeys(deps.db, deps.clock.now())
          await deleteOldWebhookDeliveries(deps.db, deps.clock.now())
          await deleteExpiredRateLimitCounters(deps.db, deps.clock.now())
          await options.alsoInHousekeeping?.()
        }
        if (sleepMs > 0) {
          const due = await nextDueAt(deps.db)
          const soonest = feed?.nextDueAt && (!due || feed.nextDueAt < due) ? feed.nextDueAt : due
          const untilDue = soonest ? soonest.getTime() - deps.clock.now().getTime() : options.idleMs
          sleepMs = Math.min(options.idleMs, Math.max(25, untilDue))
        }
      } catch (error) {
        // The database or Vapi being away must not end the loop; the next round tries again.
        deps.logger.warn({ err: error }, 'provisioning worker round failed')
        sleepMs = options.idleMs
      }
      if (!isStopping && sleepMs > 0) await sleep(sleepMs)
    }
  }
  const running = loop()

  return {
    wake: () => wakeSleeper?.(),
    stop: async () => {
      isStopping = true
      wakeSleeper?.()
      await running
    },
  }
}
