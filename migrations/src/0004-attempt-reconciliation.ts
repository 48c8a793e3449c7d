import type { Kysely } from 'kysely'

// An attempt whose outcome is unknown (the process died during the Vapi call, or Vapi timed out) is looked up
// at Vapi once the dust settles; reconciled_at records that it was, so it is looked up once.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('provisioning_attempt').addColumn('reconciled_at', 'timestamptz').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('provisioning_attempt').dropColumn('reconciled_at').execute()
}
