import type { CallEventDeps } from './call-event-deps.ts'
import { claimDueCallEvents, recordForwardAttempt, type ClaimedCallEvent } from './call-event-repository.ts'
import { forwardCallMessage } from './forward-call-message.ts'

const second = 1_000
const minute = 60 * second
const hour = 60 * minute

/**
 * The wait before each attempt (the first immediate), then an hour between attempts until three days have
 * passed; after that the message is marked failed and kept (the inbound log can send it again). A call's later
 * messages wait behind it, so they are never delivered out of order.
 */
export const callEventRetryScheduleMs = [
  0,
  1 * second,
  5 * second,
  30 * second,
  2 * minute,
  10 * minute,
  30 * minute,
  hour,
]
export const maxForwardAttempts = callEventRetryScheduleMs.length + 70

export function retryDelayMs(attemptNumber: number, schedule: readonly number[] = callEventRetryScheduleMs): number {
  return schedule[attemptNumber] ?? schedule[schedule.length - 1] ?? hour
}

export interface ForwardRoundOptions {
  batchSize: number
  /** A claim is nobody else's for this long: longer than one send can take. */
  leaseMs: number
  concurrency: number
  timeoutMs: number
  retryScheduleMs: readonly number[]
  maxAttempts: number
}

export const defaultForwardRoundOptions: ForwardRoundOptions = {
  batchSize: 100,
  leaseMs: 60_000,
  concurrency: 10,
  timeoutMs: 10_000,
  retryScheduleMs: callEventRetryScheduleMs,
  maxAttempts: maxForwardAttempts,
}

export interface ForwardRoundResult {
  claimed: number
  sent: number
  failed: number
}

async function forwardOne(deps: CallEventDeps, claim: ClaimedCallEvent, options: ForwardRoundOptions) {
  const attemptedAt = deps.clock.now()
  if (!claim.is_enabled || !claim.forward_url || claim.forward_body === null) {
    // The organisation turned the relay off (or removed its server) while this waited: nobody to send it to.
    await recordForwardAttempt(deps.db, claim, {
      relay: 'cancelled',
      attemptedAt,
      status: null,
      error: 'Call events were turned off before this message was forwarded.',
      latencyMs: 0,
      nextAttemptAt: null,
      countsAsAttempt: false,
    })
    return false
  }
  const result = await forwardCallMessage(deps, claim, claim.forward_body, {
    timeoutMs: options.timeoutMs,
    expectsJson: false,
  })
  const attemptNumber = claim.attempt_count + 1
  const hasMore = !result.isSuccess && attemptNumber < options.maxAttempts
  await recordForwardAttempt(deps.db, claim, {
    relay: result.isSuccess ? 'sent' : hasMore ? 'queued' : 'failed',
    attemptedAt,
    status: result.status,
    error: result.isSuccess ? null : result.error,
    latencyMs: result.latencyMs,
    nextAttemptAt: hasMore
      ? new Date(deps.clock.now().getTime() + retryDelayMs(attemptNumber, options.retryScheduleMs))
      : null,
    countsAsAttempt: true,
  })
  return result.isSuccess
}

/**
 * One round: claim the head message of each call that is due, send them a few at a time, record what happened.
 * The next message of a call becomes due only when the one before it has left the queue.
 */
export async function forwardDueCallEvents(
  deps: CallEventDeps,
  options: ForwardRoundOptions = defaultForwardRoundOptions,
): Promise<ForwardRoundResult> {
  const claimed = await claimDueCallEvents(deps.db, {
    now: deps.clock.now(),
    batchSize: options.batchSize,
    leaseMs: options.leaseMs,
    ...(deps.processId === undefined ? {} : { processId: deps.processId }),
  })
  const result: ForwardRoundResult = { claimed: claimed.length, sent: 0, failed: 0 }
  const queue = [...claimed]
  const work = async () => {
    for (let claim = queue.shift(); claim; claim = queue.shift()) {
      try {
        if (await forwardOne(deps, claim, options)) result.sent += 1
        else result.failed += 1
      } catch (error) {
        // The database went away mid-round: the lease runs out and the message is tried again.
        result.failed += 1
        deps.logger.warn({ err: error, callEventId: claim.id }, 'recording a call-event forward failed')
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, work))
  return result
}
