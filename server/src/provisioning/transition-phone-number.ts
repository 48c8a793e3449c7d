import type { SignalSource } from '@dialtone/shared/phone-number'
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely'
import type { Database, PhoneNumberRow, WebhookDeliveryTable } from '../db/schema.ts'
import { allowedPreviousStatuses, targetStatusOf, type StatusSignal } from './status-machine.ts'

export type Executor = Kysely<Database> | Transaction<Database>

export interface Transition {
  from: PhoneNumberRow['status']
  row: PhoneNumberRow
}

interface TransitionInput {
  phoneNumberId: string
  signal: StatusSignal
  source: SignalSource | 'release'
  now: Date
}

type TransitionRow = PhoneNumberRow & { from_status: PhoneNumberRow['status'] }

/**
 * The common table expressions every status change is made of: lock the number if its status allows the target,
 * update it (bumping `version`) and write the history row naming where it came from — one statement, so one round
 * trip. `guard` makes the change conditional on something else in the same statement (a webhook's new delivery).
 */
function transitionExpressions(
  input: TransitionInput,
  to: Exclude<PhoneNumberRow['status'], 'pending'>,
  guard = sql``,
) {
  const { signal, now } = input
  const from = sql.join([...allowedPreviousStatuses[to]])
  const detectedBy = input.source === 'release' ? null : input.source
  const reason = signal.kind === 'failed' ? signal.failureCode : null
  const assignments = [
    sql`status = ${to}`,
    sql`version = phone_number.version + 1`,
    sql`updated_at = ${now}`,
    sql`next_check_at = null`,
    ...(signal.kind === 'assigned'
      ? [sql`number = ${signal.number}`, sql`activated_at = ${now}`, sql`detected_by = ${detectedBy}`]
      : []),
    ...(signal.kind === 'failed'
      ? [sql`failure_code = ${signal.failureCode}`, sql`failure_reason = ${signal.failureReason}`]
      : []),
    ...(signal.kind === 'released' ? [sql`released_at = ${now}`] : []),
  ]
  return sql`
    previous as (
      select id as previous_id, status as from_status from phone_number
      where id = ${input.phoneNumberId} and status in (${from}) ${guard}
      for update
    ),
    updated as (
      update phone_number set ${sql.join(assignments)}
      from previous
      where phone_number.id = previous.previous_id and phone_number.status in (${from})
      returning phone_number.*, previous.from_status
    ),
    history as (
      insert into phone_number_status_change (phone_number_id, from_status, to_status, source, reason, at)
      select id, from_status, ${to}::text, ${input.source}::text, ${reason}::text, ${now}::timestamptz from updated
    )`
}

function toTransition(row: TransitionRow): Transition {
  const { from_status: from, ...phoneNumber } = row
  return { from, row: phoneNumber }
}

/**
 * The one place a number's status changes. A compare-and-set guarded by the statuses the target may come from:
 * of any number of racing signals (webhook, poller, "check now", several processes) exactly one matches, bumps
 * `version` and writes one history row. The others match nothing and return null.
 * Run it inside the caller's transaction (or alone: it is one statement) and publish only after the commit.
 */
export async function transitionPhoneNumber(executor: Executor, input: TransitionInput): Promise<Transition | null> {
  const to = targetStatusOf(input.signal)
  if (to === null) return null
  const result = await sql<TransitionRow>`with ${transitionExpressions(input, to)} select * from updated`.execute(
    executor,
  )
  const row = result.rows[0]
  return row ? toTransition(row) : null
}

/**
 * A webhook's delivery record and the transition it brings, in one statement: the delivery id's primary key
 * decides whether this delivery is new, and only a new one may change the number. Duplicates — at once, after a
 * restart, or at another process — insert nothing and change nothing.
 */
export async function recordDeliveryAndTransition(
  executor: Executor,
  input: TransitionInput & { delivery: Insertable<WebhookDeliveryTable> },
): Promise<{ isNewDelivery: boolean; transition: Transition | null }> {
  const { delivery } = input
  const insertDelivery = sql`
    delivery as (
      insert into webhook_delivery (delivery_id, message_type, vapi_phone_number_id, phone_number_id, outcome, payload, received_at)
      values (${delivery.delivery_id}, ${delivery.message_type ?? null}, ${delivery.vapi_phone_number_id ?? null},
              ${delivery.phone_number_id ?? null}, ${delivery.outcome}, ${delivery.payload}::jsonb, ${delivery.received_at ?? input.now})
      on conflict (delivery_id) do nothing
      returning delivery_id
    )`
  const to = targetStatusOf(input.signal)
  if (to === null) {
    const result = await sql<{ delivery_id: string }>`with ${insertDelivery} select delivery_id from delivery`.execute(
      executor,
    )
    return { isNewDelivery: result.rows.length > 0, transition: null }
  }
  const expressions = transitionExpressions(input, to, sql`and exists (select 1 from delivery)`)
  // One row when the delivery is new (with the number's columns when it also changed the number), none for a duplicate.
  const result = await sql<Partial<TransitionRow> & { recorded_delivery_id: string }>`
    with ${insertDelivery}, ${expressions}
    select updated.*, delivery.delivery_id as recorded_delivery_id from delivery left join updated on true`.execute(
    executor,
  )
  const row = result.rows[0]
  if (!row) return { isNewDelivery: false, transition: null }
  const { recorded_delivery_id: _recorded, ...updated } = row
  return { isNewDelivery: true, transition: isTransitionRow(updated) ? toTransition(updated) : null }
}

function isTransitionRow(row: Partial<TransitionRow>): row is TransitionRow {
  return typeof row.id === 'string' && typeof row.from_status === 'string'
}
