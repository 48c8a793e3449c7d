import { sql, type Insertable, type Kysely } from 'kysely'
import type { Database, PhoneNumberRow, WebhookDeliveryTable } from '../db/schema.ts'
import {
  toTransition,
  transitionExpressions,
  type Executor,
  type Transition,
  type TransitionInput,
  type TransitionRow,
} from './phone-number-transition-repository.ts'

/** What a delivery did, as recorded in webhook_delivery.outcome and answered to the sender. */
export type WebhookOutcome = 'transitioned' | 'unchanged' | 'checking' | 'not-ours' | 'ignored' | 'duplicate'

/** A delivery as it is stored, before its outcome is known. */
export type NewWebhookDelivery = Omit<Insertable<WebhookDeliveryTable>, 'outcome'>

/**
 * How long a delivery id is remembered. De-duplication needs minutes (a sender's retries, a restart); a week
 * also leaves room to look into what Vapi sent. Older rows only cost space.
 */
export const webhookDeliveryRetentionMs = 7 * 24 * 60 * 60_000

/**
 * Records a delivery that changes nothing (its outcome is known before it is stored). The delivery id's primary
 * key de-duplicates: a delivery seen before inserts nothing and is answered 'duplicate'.
 */
export async function recordDelivery(
  executor: Executor,
  delivery: NewWebhookDelivery & { outcome: Exclude<WebhookOutcome, 'transitioned' | 'duplicate'> },
): Promise<WebhookOutcome> {
  const recorded = await executor
    .insertInto('webhook_delivery')
    .values(delivery)
    .onConflict((conflict) => conflict.column('delivery_id').doNothing())
    .returning('delivery_id')
    .executeTakeFirst()
  return recorded ? delivery.outcome : 'duplicate'
}

/**
 * A webhook's delivery record and the transition it brings, in one statement (docs/decisions/0003). The number's
 * row is locked if its status allows the target and the delivery id has not been seen; the delivery is inserted
 * with the outcome that lock decides ('transitioned' when it holds the row, 'unchanged' when something else got
 * there first), and the number changes only if that insert happened. Nothing guesses the outcome beforehand or
 * corrects it afterwards. Duplicates — at once, after a restart, or at another process — insert nothing and
 * change nothing: the delivery id's primary key lets one insert through.
 */
export async function recordDeliveryAndTransition(
  executor: Executor,
  input: TransitionInput & { to: Exclude<PhoneNumberRow['status'], 'pending'>; delivery: NewWebhookDelivery },
): Promise<{ outcome: 'transitioned' | 'unchanged' | 'duplicate'; transition: Transition | null }> {
  const { delivery } = input
  const expressions = transitionExpressions(input, input.to, {
    lockGuard: sql`and not exists (select 1 from webhook_delivery where delivery_id = ${delivery.delivery_id})`,
    afterLock: sql`
    delivery as (
      insert into webhook_delivery (delivery_id, message_type, vapi_phone_number_id, phone_number_id, outcome, payload, received_at)
      select ${delivery.delivery_id}, ${delivery.message_type ?? null}, ${delivery.vapi_phone_number_id ?? null},
             ${delivery.phone_number_id ?? null},
             case when exists (select 1 from previous) then 'transitioned' else 'unchanged' end,
             ${delivery.payload}::jsonb, ${delivery.received_at ?? input.now}
      on conflict (delivery_id) do nothing
      returning outcome
    ),`,
    updateGuard: sql`and exists (select 1 from delivery)`,
  })
  // One row: the delivery's outcome (none for a duplicate) and, when it changed the number, the number's columns.
  const result = await sql<Partial<TransitionRow> & { delivery_outcome: 'transitioned' | 'unchanged' | null }>`
    with ${expressions}
    select updated.*, delivery.outcome as delivery_outcome
    from (select 1) as statement left join delivery on true left join updated on true`.execute(executor)
  const { delivery_outcome: outcome, ...updated } = result.rows[0] ?? { delivery_outcome: null }
  return { outcome: outcome ?? 'duplicate', transition: isTransitionRow(updated) ? toTransition(updated) : null }
}

function isTransitionRow(row: Partial<TransitionRow>): row is TransitionRow {
  return typeof row.id === 'string' && typeof row.from_status === 'string'
}

/** Forgets deliveries older than the retention, a bounded batch at a time so one run never holds long locks. */
export async function deleteOldWebhookDeliveries(
  db: Kysely<Database>,
  now: Date,
  options: { retentionMs?: number; batchSize?: number } = {},
): Promise<number> {
  const olderThan = new Date(now.getTime() - (options.retentionMs ?? webhookDeliveryRetentionMs))
  const result = await db
    .deleteFrom('webhook_delivery')
    .where('delivery_id', 'in', (eb) =>
      eb
        .selectFrom('webhook_delivery')
        .select('delivery_id')
        .where('received_at', '<', olderThan)
        .limit(options.batchSize ?? 5_000),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
