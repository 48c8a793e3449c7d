import type { SignalSource } from '@dialtone/shared/phone-number'
import type { Kysely, Transaction } from 'kysely'
import type { Database, PhoneNumberRow } from '../db/schema.ts'
import { allowedPreviousStatuses, targetStatusOf, type StatusSignal } from './status-machine.ts'

export type Executor = Kysely<Database> | Transaction<Database>

export interface Transition {
  from: PhoneNumberRow['status']
  row: PhoneNumberRow
}

/**
 * The one place a number's status changes. A compare-and-set UPDATE guarded by the statuses the target may
 * come from: of any number of racing signals (webhook, poller, "check now", several processes) exactly one
 * matches, bumps `version` and writes one history row. The others match nothing and return null.
 * Run it inside the caller's transaction and publish only after that transaction commits.
 */
export async function transitionPhoneNumber(
  executor: Executor,
  input: { phoneNumberId: string; signal: StatusSignal; source: SignalSource | 'release'; now: Date },
): Promise<Transition | null> {
  const { signal, now } = input
  const to = targetStatusOf(signal)
  if (to === null) return null
  const from = allowedPreviousStatuses[to]
  const detectedBy = input.source === 'release' ? null : input.source

  const row = await executor
    .updateTable('phone_number')
    .set((eb) => ({
      status: to,
      version: eb('version', '+', 1),
      updated_at: now,
      next_check_at: null,
      ...(signal.kind === 'assigned' ? { number: signal.number, activated_at: now, detected_by: detectedBy } : {}),
      ...(signal.kind === 'failed' ? { failure_code: signal.failureCode, failure_reason: signal.failureReason } : {}),
      ...(signal.kind === 'released' ? { released_at: now } : {}),
    }))
    .where('id', '=', input.phoneNumberId)
    .where('status', 'in', from)
    .returningAll()
    .executeTakeFirst()
  if (!row) return null

  const previous = signal.kind === 'released' ? await previousStatusOf(executor, row.id) : 'pending'
  await executor
    .insertInto('phone_number_status_change')
    .values({
      phone_number_id: row.id,
      from_status: previous,
      to_status: to,
      source: input.source,
      reason: signal.kind === 'failed' ? signal.failureCode : null,
      at: now,
    })
    .execute()
  return { from: previous, row }
}

/** Releases may start from several statuses; the history's last row says which (written by this same function). */
async function previousStatusOf(executor: Executor, phoneNumberId: string) {
  const last = await executor
    .selectFrom('phone_number_status_change')
    .select('to_status')
    .where('phone_number_id', '=', phoneNumberId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  const status = last?.to_status
  return status === 'pending' || status === 'active' || status === 'failed' ? status : 'pending'
}
