import type { Updateable } from 'kysely'
import type { ProvisioningAttemptTable } from '../db/schema.ts'
import type { Executor } from './phone-number-transition-repository.ts'

/**
 * provisioning_attempt: one row per purchase asked of Vapi, written before Vapi is called so a purchase cut short
 * by a crash is found again (reconcile-interrupted-attempts.ts), and settled with what came of it.
 */

export async function startAttempt(
  executor: Executor,
  input: {
    organizationId: string
    requestedByUserId: string | null
    areaCode: string
    requestedAt: Date
    /** The Vapi account asked (0010); null: the deployment's key. */
    vapiAccount?: string | null
  },
): Promise<{ id: string }> {
  return executor
    .insertInto('provisioning_attempt')
    .values({
      organization_id: input.organizationId,
      requested_by_user_id: input.requestedByUserId,
      area_code: input.areaCode,
      outcome: 'in_flight',
      requested_at: input.requestedAt,
      vapi_account: input.vapiAccount ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** Records what came of an attempt (purchased, refused, rolled back, or closed by the reconciler). */
export async function settleAttempt(
  executor: Executor,
  attemptId: string,
  settlement: Updateable<Omit<ProvisioningAttemptTable, 'id' | 'organization_id' | 'area_code' | 'requested_at'>>,
): Promise<void> {
  await executor.updateTable('provisioning_attempt').set(settlement).where('id', '=', attemptId).execute()
}

/** The attempt's outcome so far, or undefined for an id no attempt has. */
export async function findAttemptOutcome(executor: Executor, attemptId: string) {
  const attempt = await executor
    .selectFrom('provisioning_attempt')
    .select('outcome')
    .where('id', '=', attemptId)
    .executeTakeFirst()
  return attempt?.outcome
}

/**
 * Attempts whose outcome was never known (still in flight, or an error that bought nothing as far as dialtone
 * knows), old enough that no live request can be waiting on them and young enough to be worth a look.
 */
export async function listUnreconciledAttempts(
  executor: Executor,
  window: { requestedBefore: Date; requestedAfter: Date; limit: number },
) {
  return executor
    .selectFrom('provisioning_attempt')
    .select(['id', 'requested_at', 'outcome', 'organization_id', 'area_code', 'vapi_account'])
    .where('reconciled_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('outcome', '=', 'in_flight'),
        eb.and([eb('outcome', '=', 'error'), eb('phone_number_id', 'is', null)]),
      ]),
    )
    .where('requested_at', '<', window.requestedBefore)
    .where('requested_at', '>', window.requestedAfter)
    .orderBy('requested_at')
    .limit(window.limit)
    .execute()
}
