import {
  defaultDeliveryRoundOptions,
  deliverDueWebhooks,
  type DeliveryRoundOptions,
  type DeliveryRoundResult,
} from './deliver-due-webhooks.ts'
import type { OutboundWebhookDeps } from './outbound-webhook-deps.ts'
import { deleteOldDeliveries, nextDueDeliveryAt } from './webhook-endpoint-repository.ts'

export interface OutboundWebhookWorker {
  /** Something was queued or requeued: look now rather than after the idle sleep. */
  wake(): void
  /** Finishes the round in progress, then stops. */
  stop(): Promise<void>
}

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
        const result = await deliverDueWebhooks(deps, options.round)
        options.onRound?.(result)
        const now = deps.clock.now().getTime()
        if (now - lastHousekeeping >= housekeepingEveryMs) {
          lastHousekeeping = now
          await deleteOldDeliveries(deps.db, new Date(now - options.retentionMs))
        }
        if (result.claimed >= options.round.batchSize) sleepMs = 0
        else {
          const due = await nextDueDeliveryAt(deps.db)
          if (due) sleepMs = Math.min(options.idleMs, Math.max(10, due.getTime() - deps.clock.now().getTime()))
        }
      } catch (error) {
        // The database being away must not end the loop; the next round tries again.
        deps.logger.warn({ err: error }, 'outbound webhook round failed')
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
