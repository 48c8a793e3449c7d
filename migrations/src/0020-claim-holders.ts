import type { Kysely } from 'kysely'

// The poller's claims on pending numbers, the carrier purchase sagas and the call-event relay's claims name the
// process that holds them, as the outbound-webhook and mail queues do since 0019: a claim whose process stopped
// beating (worker_process) is taken over after ten silent seconds instead of after its whole lease (30 s for the
// poller, 60 s for sagas and call events). The claim tokens (check_count, claim_count) and the sagas' row locks
// still decide who may record an outcome, so a process thought dead but only slow cannot record twice.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('phone_number').addColumn('poll_claimed_by', 'text').execute()
  await db.schema.alterTable('carrier_purchase').addColumn('claimed_by', 'text').execute()
  await db.schema.alterTable('call_event').addColumn('claimed_by', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('call_event').dropColumn('claimed_by').execute()
  await db.schema.alterTable('carrier_purchase').dropColumn('claimed_by').execute()
  await db.schema.alterTable('phone_number').dropColumn('poll_claimed_by').execute()
}
