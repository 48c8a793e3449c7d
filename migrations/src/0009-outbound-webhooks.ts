import { sql, type Kysely } from 'kysely'

// Outbound webhooks: an organisation's endpoints, one delivery per event and endpoint, and each attempt to send it.
// A trigger on phone_number_status_change fills the queue in the same statement as every status change, so an
// event can never be lost between the commit and the send (a process dying there leaves the row for the worker).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_endpoint')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organization_id', 'text', (col) => col.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('events', 'jsonb', (col) => col.notNull())
    // AES-256-GCM; the plaintext is needed to sign, so it is encrypted, not hashed.
    .addColumn('secret_ciphertext', 'text', (col) => col.notNull())
    .addColumn('previous_secret_ciphertext', 'text')
    .addColumn('previous_secret_expires_at', 'timestamptz')
    .addColumn('failing_since', 'timestamptz')
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('disabled_reason', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('webhook_endpoint_org_idx')
    .on('webhook_endpoint')
    .columns(['organization_id', 'created_at'])
    .execute()

  await db.schema
    .createTable('outbound_webhook_delivery')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('endpoint_id', 'uuid', (col) => col.notNull().references('webhook_endpoint.id').onDelete('cascade'))
    .addColumn('event_type', 'text', (col) => col.notNull())
    .addColumn('phone_number_id', 'uuid', (col) => col.references('phone_number.id').onDelete('set null'))
    // The number as it was in the statement that changed it: the event reports that moment, not a later one.
    .addColumn('phone_number_snapshot', 'jsonb', (col) => col.notNull())
    .addColumn('occurred_at', 'timestamptz', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'succeeded', 'failed')`),
    )
    .addColumn('attempt_count', 'integer', (col) => col.notNull().defaultTo(0))
    // Null: the worker's whole retry schedule. A manual "send again" allows exactly one more attempt.
    .addColumn('attempts_allowed', 'integer')
    // Bumped by every claim: the compare-and-set token that keeps two workers from both recording an attempt.
    .addColumn('claim_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('outbound_webhook_delivery_due_idx')
    .on('outbound_webhook_delivery')
    .column('next_attempt_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute()
  await db.schema
    .createIndex('outbound_webhook_delivery_endpoint_idx')
    .on('outbound_webhook_delivery')
    .columns(['endpoint_id', 'created_at desc'])
    .execute()

  await db.schema
    .createTable('outbound_webhook_attempt')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('delivery_id', 'uuid', (col) =>
      col.notNull().references('outbound_webhook_delivery.id').onDelete('cascade'),
    )
    .addColumn('attempted_at', 'timestamptz', (col) => col.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('latency_ms', 'integer', (col) => col.notNull())
    .addColumn('response_excerpt', 'text', (col) => col.notNull())
    .addColumn('is_success', 'boolean', (col) => col.notNull())
    .execute()
  await db.schema
    .createIndex('outbound_webhook_attempt_delivery_idx')
    .on('outbound_webhook_attempt')
    .columns(['delivery_id', 'attempted_at'])
    .execute()

  await sql`
    create function enqueue_outbound_webhooks() returns trigger language plpgsql as $$
    declare
      event_type text := case new.to_status
        when 'active' then 'phone-number.live'
        when 'failed' then 'phone-number.failed'
        when 'released' then 'phone-number.released'
        else 'phone-number.updated'
      end;
    begin
      insert into outbound_webhook_delivery (endpoint_id, event_type, phone_number_id, phone_number_snapshot, occurred_at, next_attempt_at)
      select endpoint.id, event_type, changed.id, to_jsonb(changed), new.at, new.at
      from phone_number changed
      join webhook_endpoint endpoint on endpoint.organization_id = changed.organization_id
      where changed.id = new.phone_number_id
        and endpoint.disabled_at is null
        and endpoint.events @> jsonb_build_array(event_type);
      return null;
    end
    $$`.execute(db)
  await sql`
    create trigger phone_number_status_change_outbound_webhooks
    after insert on phone_number_status_change
    for each row execute function enqueue_outbound_webhooks()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists phone_number_status_change_outbound_webhooks on phone_number_status_change`.execute(
    db,
  )
  await sql`drop function if exists enqueue_outbound_webhooks()`.execute(db)
  await db.schema.dropTable('outbound_webhook_attempt').ifExists().execute()
  await db.schema.dropTable('outbound_webhook_delivery').ifExists().execute()
  await db.schema.dropTable('webhook_endpoint').ifExists().execute()
}
