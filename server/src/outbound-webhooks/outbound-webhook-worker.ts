import { startBackgroundLoop, type BackgroundLoop } from '../lib/background-loop.ts'
import {
  defaultDeliveryRoundOptions,
  deliverDueWebhooks,
  type DeliveryRoundOptions,
  type DeliveryRoundResult,
} from './deliver-due-webhooks.ts'
import type { OutboundWebhookDeps } from './outbound-webhook-deps.ts'
import { deleteOldDeliveries, nextDueDeliveryAt } from './webhook-endpoint-repository.ts'

export type OutboundWebhookWorker = BackgroundLoop

export interface OutboundWebhookWorkerOptions {
  /** Longest sleep between rounds. */
  idleMs: number
  round: DeliveryRoundOptions
  /** Finished deliveries older than this leave the log. */
  retentionMs: number
  onRound?: (result: DeliveryRoundResult) => void
}

export const defaultOutboundWebhookWorkerOptions: OutboundWebhookWorkerOptions = {
  idleMs: 1_000,
  round: defaultDeliveryRoundOptions,
  retentionMs: 30 * 24 * 60 * 60 * 1_000,
}

const housekeepingEveryMs = 60 * 60 * 1_000

/**
 * The outbound-webhook job of a worker process: its own loop beside the provisioning worker's, sharing the queue
 * table with every other worker process through SKIP LOCKED claims.
 */
export function startOutboundWebhookWorker(
  deps: OutboundWebhookDeps,
  options: OutboundWebhookWorkerOptions = defaultOutboundWebhookWorkerOptions,
): OutboundWebhookWorker {
  let lastHousekeeping = 0
  return startBackgroundLoop({
    idleMs: options.idleMs,
    // The database being away must not end the loop; the next round tries again.
    onError: (error) => deps.logger.warn({ err: error }, 'outbound webhook round failed'),
    round: async () => {
      const result = await deliverDueWebhooks(deps, options.round)
      options.onRound?.(result)
      const now = deps.clock.now().getTime()
      if (now - lastHousekeeping >= housekeepingEveryMs) {
        lastHousekeeping = now
        await deleteOldDeliveries(deps.db, new Date(now - options.retentionMs))
      }
      if (result.claimed >= options.round.batchSize) return 0
      const due = await nextDueDeliveryAt(deps.db)
      if (!due) return options.idleMs
      return Math.min(options.idleMs, Math.max(10, due.getTime() - deps.clock.now().getTime()))
    },
  })
}
