import { sql, type Kysely } from 'kysely'

// Call events (issue 17): an organisation's relay settings, the routing dialtone replaced on its numbers at Vapi
// (sealed, to give back when the relay is turned off), the calls Vapi's messages tell about (only what the cards
// show: when, how it ended; never a transcript), and the outbox of messages to forward to the organisation's own
// server, in order per call.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('call_event_setting')
    .addColumn('organization_id', 'text', (col) => col.primaryKey().references('organization.id').onDelete('cascade'))
    .addColumn('is_enabled', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('forward_url', 'text')
    .addColumn('forward_auth_type', 'text', (col) => col.check(sql`forward_auth_type in ('bearer', 'secret', 'hmac')`))
    // The token or secret the organisation's server expects, sealed by the credentials box.
    .addColumn('forward_secret_ciphertext', 'text')
    .addColumn('forward_secret_hint', 'text')
    .addColumn('fallback_assistant_id', 'text')
    .addColumn('keeps_transcripts', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('call_event_route')
    .addColumn('phone_number_id', 'uuid', (col) => col.primaryKey().references('phone_number.id').onDelete('cascade'))
    .addColumn('organization_id', 'text', (col) => col.notNull())
    // The number's server object at Vapi before dialtone's (JSON, sealed: its headers may carry a credential);
    // null: it had none.
    .addColumn('previous_server_ciphertext', 'text')
    .addColumn('routed_at', 'timestamptz', (col) => col.notNull())
    .execute()

  await db.schema
    .createTable('vapi_call')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('organization_id', 'text', (col) => col.notNull())
    .addColumn('phone_number_id', 'uuid', (col) => col.notNull().references('phone_number.id').onDelete('cascade'))
    // 1 queued, 2 ringing, 3 in progress, 4 ended: only ever grows, so an older message never undoes a newer one.
    .addColumn('stage', 'smallint', (col) => col.notNull())
    .addColumn('started_at', 'timestamptz', (col) => col.notNull())
    .addColumn('answered_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('ended_reason', 'text')
    .execute()
  await db.schema
    .createIndex('vapi_call_number_idx')
    .on('vapi_call')
    .columns(['phone_number_id', 'started_at'])
    .execute()

  await db.schema
    .createTable('call_event')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('organization_id', 'text', (col) => col.notNull())
    .addColumn('phone_number_id', 'uuid', (col) => col.references('phone_number.id').onDelete('set null'))
    .addColumn('call_id', 'text')
    .addColumn('message_type', 'text', (col) => col.notNull())
    // Vapi's identity of the message (call, type, timestamp, ...): a message seen again is not stored or sent twice.
    .addColumn('message_key', 'text', (col) => col.notNull().unique())
    // Messages of one call are forwarded one after the other, in the order they arrived.
    .addColumn('order_key', 'text', (col) => col.notNull())
    .addColumn('occurred_at', 'timestamptz')
    .addColumn('received_at', 'timestamptz', (col) => col.notNull())
    // What dialtone keeps: the message without transcripts and recordings unless the organisation asked.
    .addColumn('payload', 'jsonb', (col) => col.notNull())
    // The message as Vapi sent it, only until it has been forwarded.
    .addColumn('forward_body', 'text')
    .addColumn('relay', 'text', (col) =>
      col.notNull().check(sql`relay in ('queued', 'sent', 'failed', 'cancelled', 'answered', 'fallback')`),
    )
    .addColumn('attempt_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('claim_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('latency_ms', 'integer')
    .addColumn('forwarded_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('call_event_due_idx')
    .on('call_event')
    .column('next_attempt_at')
    .where(sql.ref('relay'), '=', 'queued')
    .execute()
  await db.schema
    .createIndex('call_event_queued_order_idx')
    .on('call_event')
    .columns(['order_key', 'id'])
    .where(sql.ref('relay'), '=', 'queued')
    .execute()
  await db.schema.createIndex('call_event_org_idx').on('call_event').columns(['organization_id', 'id']).execute()

  await db.schema
    .alterTable('phone_number')
    // The latest calls all ended with reasons that mean the line or the assistant is broken.
    .addColumn('call_failing', 'boolean', (col) => col.notNull().defaultTo(false))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('phone_number').dropColumn('call_failing').execute()
  await db.schema.dropTable('call_event').ifExists().execute()
  await db.schema.dropTable('vapi_call').ifExists().execute()
  await db.schema.dropTable('call_event_route').ifExists().execute()
  await db.schema.dropTable('call_event_setting').ifExists().execute()
}
