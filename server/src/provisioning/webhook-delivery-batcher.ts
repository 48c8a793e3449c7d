import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { isDatabaseUnavailable } from '../lib/is-database-unavailable.ts'
import { groupPerKey } from '../lib/statement-group.ts'
import { recordDeliveries, type DeliveryToRecord, type RecordedDelivery } from './webhook-delivery-repository.ts'

/** Most deliveries written by one statement. */
export const maxDeliveriesPerBatch = 64

interface Waiting {
  delivery: DeliveryToRecord
  resolve: (recorded: RecordedDelivery) => void
  reject: (error: unknown) => void
}

interface Batch {
  leaders: Waiting[]
  /** Same delivery id as a leader in this batch: answered 'duplicate' once the leader's row is committed. */
  followers: Waiting[]
}

export interface DeliveryBatcher {
  /** Resolves once the delivery's statement has committed (never before), with what it did. */
  record(delivery: DeliveryToRecord): Promise<RecordedDelivery>
}

/**
 * Group commit for webhook deliveries. A delivery that arrives while no statement is running is written at once
 * (no timer: a lone webhook waits for nothing); those that arrive while one is running wait for it and then go
 * together in the next, as one statement and one commit. Each request is answered only from its own row after
 * that commit. One statement at a time per process: batches of one process never wait on each other's locks.
 *
 * A batch holds each delivery id once and at most one transition per number, so every outcome is the one the
 * delivery would have had alone in arrival order: a second transition of the same number waits for the next batch
 * (it must see the first's result), a repeated delivery id is answered 'duplicate' when its first copy commits.
 * If a batch's statement fails, nothing of it is written (one statement); when the database is unreachable every
 * waiting request gets the error (503, so Vapi retries), otherwise each delivery is tried once alone, so one bad
 * delivery cannot fail its neighbours.
 */
export function createDeliveryBatcher(
  db: Kysely<Database>,
  options: { maxBatch?: number; onBatch?: (size: number) => void } = {},
): DeliveryBatcher {
  const maxBatch = options.maxBatch ?? maxDeliveriesPerBatch
  let queue: Waiting[] = []
  let isWriting = false

  function takeBatch(): Batch {
    const batch: Batch = { leaders: [], followers: [] }
    const deliveryIds = new Set<string>()
    const numbersInTransition = new Set<string>()
    const later: Waiting[] = []
    for (const waiting of queue) {
      const { delivery } = waiting
      const numberId = delivery.transition?.phoneNumberId
      if (deliveryIds.has(delivery.delivery_id)) batch.followers.push(waiting)
      else if (batch.leaders.length >= maxBatch || (numberId !== undefined && numbersInTransition.has(numberId))) {
        later.push(waiting)
      } else {
        batch.leaders.push(waiting)
        deliveryIds.add(delivery.delivery_id)
        if (numberId !== undefined) numbersInTransition.add(numberId)
      }
    }
    queue = later
    return batch
  }

  async function write(batch: Batch): Promise<void> {
    options.onBatch?.(batch.leaders.length)
    try {
      const recorded = await recordDeliveries(
        db,
        batch.leaders.map((waiting) => waiting.delivery),
      )
      batch.leaders.forEach((waiting, index) =>
        waiting.resolve(recorded[index] ?? { outcome: 'duplicate', transition: null }),
      )
      for (const follower of batch.followers) follower.resolve({ outcome: 'duplicate', transition: null })
    } catch (error) {
      if (batch.leaders.length === 1 || isDatabaseUnavailable(error)) {
        for (const waiting of [...batch.leaders, ...batch.followers]) waiting.reject(error)
        return
      }
      for (const leader of batch.leaders) {
        await write({
          leaders: [leader],
          followers: batch.followers.filter(
            (follower) => follower.delivery.delivery_id === leader.delivery.delivery_id,
          ),
        })
      }
    }
  }

  async function drain(): Promise<void> {
    isWriting = true
    try {
      while (queue.length > 0) await write(takeBatch())
    } finally {
      isWriting = false
    }
  }

  return {
    record(delivery) {
      return new Promise<RecordedDelivery>((resolve, reject) => {
        queue.push({ delivery, resolve, reject })
        if (!isWriting) void drain()
      })
    },
  }
}

/** The one batcher of a database handle (per process), so every route and test on that handle shares it. */
export const deliveryBatcherOf = groupPerKey((db: Kysely<Database>) => createDeliveryBatcher(db))
