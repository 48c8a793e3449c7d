import { startBackgroundLoop, type BackgroundLoop } from '../lib/background-loop.ts'
import type { CallEventDeps } from './call-event-deps.ts'
import { deleteOldCallEvents, nextDueCallEventAt } from './call-event-repository.ts'
import { routeNumbersBoughtSinceEnabled } from './call-event-settings.ts'
import {
  defaultForwardRoundOptions,
  forwardDueCallEvents,
  type ForwardRoundOptions,
} from './forward-due-call-events.ts'

export interface CallEventWorkerOptions {
  idleMs: number
  round: ForwardRoundOptions
  /** Forwarded (or given up) messages older than this leave the table. */
  retentionMs: number
}

export const defaultCallEventWorkerOptions: CallEventWorkerOptions = {
  idleMs: 1_000,
  round: defaultForwardRoundOptions,
  retentionMs: 7 * 24 * 60 * 60 * 1_000,
}

const housekeepingEveryMs = 60 * 60 * 1_000
/** How often numbers bought since an organisation turned call events on are looked for and routed. */
const routeNewNumbersEveryMs = 5_000

/** The call-event job of a worker process, sharing the outbox with other workers through SKIP LOCKED claims. */
export function startCallEventWorker(
  deps: CallEventDeps,
  options: CallEventWorkerOptions = defaultCallEventWorkerOptions,
): BackgroundLoop {
  let lastHousekeeping = 0
  let lastRouting = 0
  return startBackgroundLoop({
    idleMs: options.idleMs,
    onError: (error) => deps.logger.warn({ err: error }, 'call-event forward round failed'),
    round: async () => {
      const result = await forwardDueCallEvents(deps, options.round)
      const now = deps.clock.now().getTime()
      if (now - lastRouting >= routeNewNumbersEveryMs) {
        lastRouting = now
        await routeNumbersBoughtSinceEnabled(deps)
      }
      if (now - lastHousekeeping >= housekeepingEveryMs) {
        lastHousekeeping = now
        await deleteOldCallEvents(deps.db, new Date(now - options.retentionMs))
      }
      // Something was sent: the next message of those calls may be due now.
      if (result.claimed > 0) return 0
      const due = await nextDueCallEventAt(deps.db)
      if (!due) return options.idleMs
      return Math.min(options.idleMs, Math.max(10, due.getTime() - deps.clock.now().getTime()))
    },
  })
}
