import { sql, type Kysely } from 'kysely'

// The inbound webhook log: one row per request dialtone received on a webhook route (Vapi's, carriers'), verified
// or not, with what the route answered. A call message names its call_event row (relay_key = its message_key), whose
// relay status and latency the log shows. The id is made by the route before it handles the message, so the relay can
// report on a message (inbound_message_relay, keyed by that id) whichever of the two writes lands first. seq orders
// the log and pages it. organization_id is null for refused and unknown messages: only platform admins see those.
// No foreign keys: the log outlives the numbers it names, and retention deletes it on its own schedule.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('inbound_message')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('seq', 'bigserial', (col) => col.notNull().unique())
    .addColumn('received_at', 'timestamptz', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('message_type', 'text')
    .addColumn('organization_id', 'text')
    .addColumn('phone_number_id', 'uuid')
    .addColumn('vapi_phone_number_id', 'text')
    .addColumn('call_id', 'text')
    .addColumn('verification', 'text', (col) =>
      col.notNull().check(sql`verification in ('ok', 'bad-signature', 'missing-credentials', 'stale')`),
    )
    .addColumn('verification_detail', 'text')
    .addColumn('outcome', 'text', (col) => col.notNull())
    .addColumn('http_status', 'integer', (col) => col.notNull())
    .addColumn('handling_ms', 'real')
    .addColumn('delivery_id', 'text')
    .addColumn('message_id', 'text')
    .addColumn('attempt_id', 'text')
    .addColumn('relay_key', 'text')
    .addColumn('headers', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('payload', 'jsonb')
    .addColumn('body_bytes', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('redactions', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('reprocess_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_reprocessed_at', 'timestamptz')
    .addColumn('last_reprocess_outcome', 'text')
    .execute()
  await db.schema
    .createIndex('inbound_message_org_seq_idx')
    .on('inbound_message')
    .columns(['organization_id', 'seq'])
    .execute()
  await db.schema.createIndex('inbound_message_received_idx').on('inbound_message').column('received_at').execute()

  await db.schema
    .createTable('inbound_message_relay')
    .addColumn('inbound_message_id', 'uuid', (col) => col.primaryKey())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('latency_ms', 'integer')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('detail', 'text')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('inbound_message_relay').ifExists().execute()
  await db.schema.dropTable('inbound_message').ifExists().execute()
}
