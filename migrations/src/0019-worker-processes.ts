import { sql, type Kysely } from 'kysely'

// Which processes are alive. Each server process registers itself at start, beats every two seconds and leaves on
// a clean stop; the outbound-webhook and mail queues write the claiming process beside each claim. A claim whose
// process stopped beating is taken over at once instead of after its whole lease (60 s for webhooks, 120 s for
// mail): the claim token still decides who may record the outcome, so a process thought dead but only slow
// cannot record twice.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('worker_process')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('started_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('heartbeat_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.alterTable('outbound_webhook_delivery').addColumn('claimed_by', 'text').execute()
  await db.schema.alterTable('notification_outbox').addColumn('claimed_by', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notification_outbox').dropColumn('claimed_by').execute()
  await db.schema.alterTable('outbound_webhook_delivery').dropColumn('claimed_by').execute()
  await db.schema.dropTable('worker_process').execute()
}
