import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

/** The Vapi side of a carrier number's card, once Vapi holds it; the status change itself is transitionPhoneNumber's. */
export async function setCarrierCardImported(
  db: Executor,
  input: {
    phoneNumberId: string
    vapiPhoneNumberId: string
    vapiAccount: string | null
    assistantId: string | null
    assistantName: string | null
  },
): Promise<void> {
  await db
    .updateTable('phone_number')
    .set({
      vapi_phone_number_id: input.vapiPhoneNumberId,
      vapi_account: input.vapiAccount,
      assistant_id: input.assistantId,
      assistant_name: input.assistantName,
    })
    .where('id', '=', input.phoneNumberId)
    .execute()
}

/** The organisation's pending or live carrier numbers among these (E.164). */
export async function findHeldCarrierNumbers(db: Executor, organizationId: string, numbers?: readonly string[]) {
  let query = db
    .selectFrom('phone_number')
    .select(['id', 'number', 'status', 'provider'])
    .where('organization_id', '=', organizationId)
    .where('status', 'in', ['pending', 'active'])
    .where('number', 'is not', null)
  if (numbers) {
    if (numbers.length === 0) return []
    query = query.where('number', 'in', numbers)
  }
  return query.execute()
}
