import { sql, type Insertable, type Kysely } from 'kysely'
import type { Database, PhoneNumberRow, WebhookDeliveryTable } from '../db/schema.ts'
import { allowedPreviousStatuses } from './status-machine.ts'
import {
  toTransition,
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

/** One delivery of a batch: its outcome known beforehand, or a transition it tries (the lock decides). */
export type DeliveryToRecord = NewWebhookDelivery &
  (
    | { outcome: Exclude<WebhookOutcome, 'transitioned' | 'duplicate'>; transition?: undefined }
    | { outcome?: undefined; transition: TransitionInput & { to: Exclude<PhoneNumberRow['status'], 'pending'> } }
  )

export interface RecordedDelivery {
  outcome: WebhookOutcome
  transition: Transition | null
}

/**
 * Group commit: many deliveries in one statement (one round trip, one commit). Each delivery id's primary key
 * de-duplicates: a delivery seen before inserts nothing and is answered 'duplicate'. A delivery that tries a
 * transition locks its number if the status allows the target and the id is unseen, is inserted with the outcome
 * that lock decides ('transitioned' when it holds the row, 'unchanged' when something else got there first), and
 * the number changes only if that insert happened (docs/decisions/0003). The caller keeps delivery ids distinct within a batch and
 * puts at most one transition per number in it (webhook-delivery-batcher.ts): with that, each row's outcome is
 * what it would have been on its own, in the batch's order. The numbers are locked in id order, so two batches
 * (two processes) never wait on each other in a cycle.
 */
export async function recordDeliveries(
  executor: Executor,
  deliveries: DeliveryToRecord[],
): Promise<RecordedDelivery[]> {
  if (deliveries.length === 0) return []
  const column = <T>(pick: (delivery: DeliveryToRecord, index: number) => T) => deliveries.map(pick)
  const transitionOf = (delivery: DeliveryToRecord) => delivery.transition ?? null
  const signalOf = (delivery: DeliveryToRecord) => transitionOf(delivery)?.signal ?? null
  const at = (date: Date | string | undefined | null) => (date instanceof Date ? date.toISOString() : (date ?? null))
  const result = await sql<
    Partial<TransitionRow> & { delivery_ord: number; delivery_outcome: WebhookOutcome | null; updated_ord?: number }
  >`
    with input as (
      select * from unnest(
        ${column((_, index) => index)}::int[],
        ${column((delivery) => delivery.delivery_id)}::text[],
        ${column((delivery) => delivery.message_type ?? null)}::text[],
        ${column((delivery) => delivery.vapi_phone_number_id ?? null)}::text[],
        ${column((delivery) => transitionOf(delivery)?.phoneNumberId ?? delivery.phone_number_id ?? null)}::text[],
        ${column((delivery) => delivery.outcome ?? null)}::text[],
        ${column((delivery) => transitionOf(delivery)?.to ?? null)}::text[],
        ${column((delivery) => {
          const to = transitionOf(delivery)?.to
          return to ? allowedPreviousStatuses[to].join(',') : null
        })}::text[],
        ${column((delivery) => signalOf(delivery)?.kind ?? null)}::text[],
        ${column((delivery) => {
          const signal = signalOf(delivery)
          return signal?.kind === 'assigned' ? signal.number : null
        })}::text[],
        ${column((delivery) => {
          const signal = signalOf(delivery)
          return signal?.kind === 'failed' ? signal.failureCode : null
        })}::text[],
        ${column((delivery) => {
          const signal = signalOf(delivery)
          return signal?.kind === 'failed' ? signal.failureReason : null
        })}::text[],
        ${column((delivery) => transitionOf(delivery)?.source ?? null)}::text[],
        ${column((delivery) => delivery.payload)}::text[],
        ${column((delivery) => at(delivery.received_at ?? transitionOf(delivery)?.now))}::text[],
        ${column((delivery) => at(transitionOf(delivery)?.now))}::text[]
      ) as input(ord, delivery_id, message_type, vapi_phone_number_id, phone_number_id, known_outcome, to_status,
                 from_statuses, signal_kind, number, failure_code, failure_reason, source, payload, received_at, now)
    ),
    previous as (
      select input.ord, phone_number.id as previous_id, phone_number.status as from_status
      from input join phone_number on phone_number.id = input.phone_number_id::uuid
      where input.to_status is not null
        and phone_number.status = any(string_to_array(input.from_statuses, ','))
        and not exists (select 1 from webhook_delivery where delivery_id = input.delivery_id)
      order by phone_number.id
      for update of phone_number
    ),
    delivery as (
      insert into webhook_delivery (delivery_id, message_type, vapi_phone_number_id, phone_number_id, outcome, payload, received_at)
      select input.delivery_id, input.message_type, input.vapi_phone_number_id, input.phone_number_id::uuid,
             coalesce(input.known_outcome,
                      case when exists (select 1 from previous where previous.ord = input.ord) then 'transitioned' else 'unchanged' end),
             input.payload::jsonb, coalesce(input.received_at::timestamptz, now())
      from input
      order by input.delivery_id
      on conflict (delivery_id) do nothing
      returning delivery_id, outcome
    ),
    updated as (
      update phone_number set
        status = input.to_status,
        version = phone_number.version + 1,
        updated_at = input.now::timestamptz,
        next_check_at = null,
        number = case when input.signal_kind = 'assigned' then input.number else phone_number.number end,
        activated_at = case when input.signal_kind = 'assigned' then input.now::timestamptz else phone_number.activated_at end,
        detected_by = case when input.signal_kind = 'assigned' then input.source else phone_number.detected_by end,
        failure_code = case when input.signal_kind = 'failed' then input.failure_code else phone_number.failure_code end,
        failure_reason = case when input.signal_kind = 'failed' then input.failure_reason else phone_number.failure_reason end,
        released_at = case when input.signal_kind = 'released' then input.now::timestamptz else phone_number.released_at end
      from previous join input on input.ord = previous.ord
      where phone_number.id = previous.previous_id
        and phone_number.status = any(string_to_array(input.from_statuses, ','))
        and exists (select 1 from delivery where delivery.delivery_id = input.delivery_id)
      returning phone_number.*, previous.from_status, previous.ord as updated_ord
    ),
    history as (
      insert into phone_number_status_change (phone_number_id, from_status, to_status, source, reason, at)
      select updated.id, updated.from_status, input.to_status, input.source, input.failure_code, input.now::timestamptz
      from updated join input on input.ord = updated.updated_ord
    )
    select input.ord as delivery_ord, delivery.outcome as delivery_outcome, updated.*
    from input left join delivery on delivery.delivery_id = input.delivery_id left join updated on updated.updated_ord = input.ord`.execute(
    executor,
  )
  const recorded: RecordedDelivery[] = deliveries.map(() => ({ outcome: 'duplicate', transition: null }))
  for (const row of result.rows) {
    const { delivery_ord: ord, delivery_outcome: outcome, updated_ord: _updatedOrd, ...updated } = row
    recorded[ord] = {
      outcome: outcome ?? 'duplicate',
      transition: isTransitionRow(updated) ? toTransition(updated) : null,
    }
  }
  return recorded
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
