import type { Kysely } from 'kysely'
import type { Database } from '../../src/db/schema.ts'
import { perNumberSchedule } from '../../src/provisioning/poll-schedule.ts'

/**
 * Stores a number bought at the Vapi sandbox as pending, as provisioning stores it (its own first check on the
 * per-number schedule in force), for the poller's tests and the polling benchmark. Answers the row's id.
 */
export async function insertPendingNumber(
  db: Kysely<Database>,
  input: { organizationId: string; vapiPhoneNumberId: string; vapiAccount: string | null; createdAt: Date },
): Promise<string> {
  const row = await db
    .insertInto('phone_number')
    .values({
      organization_id: input.organizationId,
      vapi_phone_number_id: input.vapiPhoneNumberId,
      area_code: '415',
      status: 'pending',
      created_at: input.createdAt,
      updated_at: input.createdAt,
      next_check_at: new Date(input.createdAt.getTime() + perNumberSchedule().firstCheckDelayMs),
      vapi_account: input.vapiAccount,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
