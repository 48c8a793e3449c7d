import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

export async function recordOrphan(
  db: Kysely<Database>,
  input: {
    vapiPhoneNumberId: string
    reason: string
    lastError: string | null
    now: Date
    /** Whose account holds it (0010), so the delete uses that account's key. */
    organizationId?: string | null
    vapiAccount?: string | null
  },
): Promise<void> {
  await db
    .insertInto('vapi_orphan')
    .values({
      vapi_phone_number_id: input.vapiPhoneNumberId,
      reason: input.reason,
      last_error: input.lastError,
      next_attempt_at: input.now,
      created_at: input.now,
      organization_id: input.organizationId ?? null,
      vapi_account: input.vapiAccount ?? null,
    })
    .onConflict((conflict) => conflict.column('vapi_phone_number_id').doNothing())
    .execute()
}

export async function claimDueOrphans(db: Kysely<Database>, now: Date, limit: number, leaseMs: number) {
  return db
    .updateTable('vapi_orphan')
    .set({ next_attempt_at: new Date(now.getTime() + leaseMs) })
    .where('vapi_phone_number_id', 'in', (eb) =>
      eb
        .selectFrom('vapi_orphan')
        .select('vapi_phone_number_id')
        .where('deleted_at', 'is', null)
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute()
}

export async function markOrphanDeleted(db: Kysely<Database>, vapiPhoneNumberId: string, now: Date) {
  await db
    .updateTable('vapi_orphan')
    .set({ deleted_at: now })
    .where('vapi_phone_number_id', '=', vapiPhoneNumberId)
    .execute()
}

export async function markOrphanAttemptFailed(
  db: Kysely<Database>,
  input: { vapiPhoneNumberId: string; error: string; nextAttemptAt: Date },
) {
  await db
    .updateTable('vapi_orphan')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: input.error, next_attempt_at: input.nextAttemptAt }))
    .where('vapi_phone_number_id', '=', input.vapiPhoneNumberId)
    .execute()
}
