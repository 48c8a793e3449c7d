import { sql, type Kysely } from 'kysely'

// Email notifications and admin alerts. Events come from the database, atomically with the status change: a
// trigger on phone_number_status_change queues them, so nothing is lost when a process dies between the commit
// and the send, and the transition statement itself is not touched. The worker fans events out to the users who
// asked for them (notification_outbox) and sends with retries; the outbox doubles as the sandbox's mailbox.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notification_preference')
    .addColumn('user_id', 'text', (col) => col.primaryKey().references('user.id').onDelete('cascade'))
    .addColumn('number_live', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('number_failed', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('number_stuck', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('number_released', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('admin_alerts', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('notification_event')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('phone_number_id', 'uuid', (col) => col.notNull().references('phone_number.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('live', 'failed', 'stuck', 'released')`))
    .addColumn('reason', 'text')
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('processed_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('notification_event_unprocessed_idx')
    .on('notification_event')
    .column('id')
    .where(sql.ref('processed_at'), 'is', null)
    .execute()
  // A number is reported stuck once, however many workers look for stuck numbers.
  await db.schema
    .createIndex('notification_event_stuck_once_idx')
    .on('notification_event')
    .column('phone_number_id')
    .unique()
    .where(sql.ref('kind'), '=', 'stuck')
    .execute()

  await sql`
    create function queue_notification_event() returns trigger language plpgsql as $$
    begin
      insert into notification_event (phone_number_id, kind, reason, at)
      values (new.phone_number_id, case new.to_status when 'active' then 'live' else new.to_status end, new.reason, new.at);
      return null;
    end
    $$`.execute(db)
  await sql`
    create trigger phone_number_status_change_notification
    after insert on phone_number_status_change
    for each row when (new.to_status in ('active', 'failed', 'released'))
    execute function queue_notification_event()`.execute(db)

  await db.schema
    .createTable('notification_outbox')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('channel', 'text', (col) => col.notNull().check(sql`channel in ('email', 'webhook')`))
    .addColumn('topic', 'text', (col) => col.notNull().check(sql`topic in ('phone-numbers', 'admin-alert')`))
    .addColumn('recipient', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.references('user.id').onDelete('cascade'))
    .addColumn('payload', 'jsonb', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('queued')
        .check(sql`status in ('queued', 'sending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('delivered_via', 'text')
    .addColumn('subject', 'text')
    .addColumn('text_body', 'text')
    .addColumn('html_body', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('notification_outbox_due_idx')
    .on('notification_outbox')
    .column('next_attempt_at')
    .where(sql.ref('status'), 'in', ['queued', 'sending'])
    .execute()
  await db.schema
    .createIndex('notification_outbox_user_idx')
    .on('notification_outbox')
    .columns(['user_id', 'created_at desc'])
    .execute()

  await db.schema
    .createTable('alert_rule')
    .addColumn('kind', 'text', (col) => col.primaryKey())
    .addColumn('is_enabled', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('threshold', 'float8', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db
    .insertInto('alert_rule')
    .values([
      { kind: 'success_rate_below', threshold: 0.8 },
      { kind: 'time_to_live_p90_above', threshold: 120 },
      { kind: 'pending_past_deadline', threshold: 10 },
      { kind: 'vapi_failing', threshold: 5 },
    ])
    .execute()

  await db.schema
    .createTable('admin_alert')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('rule_kind', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('open', 'closed')`))
    .addColumn('summary', 'text', (col) => col.notNull())
    .addColumn('value', 'float8')
    .addColumn('threshold', 'float8', (col) => col.notNull())
    .addColumn('opened_at', 'timestamptz', (col) => col.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closing_summary', 'text')
    .execute()
  // An alert opens once: at most one open alert per rule, whichever worker sees the condition first.
  await db.schema
    .createIndex('admin_alert_open_once_idx')
    .on('admin_alert')
    .column('rule_kind')
    .unique()
    .where(sql.ref('status'), '=', 'open')
    .execute()
  await db.schema.createIndex('admin_alert_opened_idx').on('admin_alert').column('opened_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists phone_number_status_change_notification on phone_number_status_change`.execute(db)
  await sql`drop function if exists queue_notification_event()`.execute(db)
  for (const table of [
    'admin_alert',
    'alert_rule',
    'notification_outbox',
    'notification_event',
    'notification_preference',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
