import { sql, type Kysely } from 'kysely'

// Each organisation's own provider account (Vapi today; Twilio and Telnyx later), its key sealed with
// AES-256-GCM (never stored in the clear), and on every number, attempt and orphan the Vapi account that bought it
// (a fingerprint of the key, never the key), so later calls for it use that account even after the organisation
// connects another one. A Retry-After pause Vapi gives one process is written down for every process.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('provider_connection')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organization_id', 'text', (col) => col.notNull().references('organization.id').onDelete('cascade'))
    .addColumn('provider', 'text', (col) => col.notNull().check(sql`provider in ('vapi', 'twilio', 'telnyx')`))
    .addColumn('source', 'text', (col) => col.notNull().check(sql`source in ('organization', 'sandbox')`))
    // `v2.<key id>.<iv>.<tag>.<ciphertext>`: the key id says which CREDENTIALS_KEY sealed it (rotation).
    .addColumn('secret_ciphertext', 'text', (col) => col.notNull())
    .addColumn('key_hint', 'text', (col) => col.notNull())
    // sha256 of the key, shortened: names the Vapi account on numbers and in the rate limiter.
    .addColumn('account_fingerprint', 'text', (col) => col.notNull())
    .addColumn('sandbox_account_id', 'text')
    .addColumn('connected_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('connected_by_user_id', 'text')
    // A key replaced by another stays (retired) so the numbers it bought are still checked and released with it.
    .addColumn('retired_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('provider_connection_current_idx')
    .on('provider_connection')
    .columns(['organization_id', 'provider'])
    .unique()
    .where(sql.ref('retired_at'), 'is', null)
    .execute()
  await db.schema
    .createIndex('provider_connection_account_idx')
    .on('provider_connection')
    .columns(['organization_id', 'provider', 'account_fingerprint'])
    .unique()
    .execute()

  for (const table of ['phone_number', 'provisioning_attempt', 'vapi_orphan']) {
    // null: bought before this migration, with the deployment's VAPI_API_KEY ('platform').
    await db.schema.alterTable(table).addColumn('vapi_account', 'text').execute()
  }
  // Orphans had no organisation: the delete must find the organisation's key.
  await db.schema.alterTable('vapi_orphan').addColumn('organization_id', 'text').execute()
  await db.schema
    .alterTable('phone_number')
    .addColumn('assistant_id', 'text')
    .addColumn('assistant_name', 'text')
    .execute()

  await db.schema
    .createTable('vapi_account_pause')
    .addColumn('account_key', 'text', (col) => col.primaryKey())
    .addColumn('paused_until', 'timestamptz', (col) => col.notNull())
    .execute()

  // A change that keeps the status (a new name or assistant: from_status = to_status, source 'update') is
  // announced to outbound webhooks as phone-number.updated, and is not a "live"/"failed" mail.
  await sql`
    create or replace function enqueue_outbound_webhooks() returns trigger language plpgsql as $$
    declare
      event_type text := case
        when new.from_status is not distinct from new.to_status then 'phone-number.updated'
        when new.to_status = 'active' then 'phone-number.live'
        when new.to_status = 'failed' then 'phone-number.failed'
        when new.to_status = 'released' then 'phone-number.released'
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
  await sql`drop trigger if exists phone_number_status_change_notification on phone_number_status_change`.execute(db)
  await sql`
    create trigger phone_number_status_change_notification
    after insert on phone_number_status_change
    for each row when (new.to_status in ('active', 'failed', 'released') and new.from_status is distinct from new.to_status)
    execute function queue_notification_event()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists phone_number_status_change_notification on phone_number_status_change`.execute(db)
  await sql`
    create trigger phone_number_status_change_notification
    after insert on phone_number_status_change
    for each row when (new.to_status in ('active', 'failed', 'released'))
    execute function queue_notification_event()`.execute(db)
  await sql`
    create or replace function enqueue_outbound_webhooks() returns trigger language plpgsql as $$
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
  await db.schema.dropTable('vapi_account_pause').execute()
  await db.schema.alterTable('phone_number').dropColumn('assistant_name').dropColumn('assistant_id').execute()
  await db.schema.alterTable('vapi_orphan').dropColumn('organization_id').execute()
  for (const table of ['vapi_orphan', 'provisioning_attempt', 'phone_number']) {
    await db.schema.alterTable(table).dropColumn('vapi_account').execute()
  }
  await db.schema.dropTable('provider_connection').execute()
}
