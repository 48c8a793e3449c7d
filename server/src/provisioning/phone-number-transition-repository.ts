import type { SignalSource } from '@dialtone/shared/phone-number'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, PhoneNumberRow } from '../db/schema.ts'
import { allowedPreviousStatuses, targetStatusOf, type StatusSignal } from './status-machine.ts'

export type Executor = Kysely<Database> | Transaction<Database>

export interface Transition {
  from: PhoneNumberRow['status']
  row: PhoneNumberRow
}

export interface TransitionInput {
  phoneNumberId: string
  signal: StatusSignal
  source: SignalSource | 'release'
  now: Date
}

export type TransitionRow = PhoneNumberRow & { from_status: PhoneNumberRow['status'] }

/**
 * The common table expressions every status change is made of: lock the number if its status allows the target,
 * update it (bumping `version`) and write the history row naming where it came from — one statement, so one round
 * trip. A webhook's delivery writes the same change for many numbers at once (recordDeliveries in
 * webhook-delivery-repository.ts, with the delivery row joined in).
 */
export function transitionExpressions(input: TransitionInput, to: Exclude<PhoneNumberRow['status'], 'pending'>) {
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
      where id = ${input.phoneNumberId} and status in (${from})
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

export function toTransition(row: TransitionRow): Transition {
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
