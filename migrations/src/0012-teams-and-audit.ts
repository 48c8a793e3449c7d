import { sql, type Kysely } from 'kysely'

// Teams and the audit log. Invitations live in Better Auth's `invitation` table (dialtone's own routes write it);
// invitation mail goes through the notification outbox under a topic of its own. audit_event is one row per thing
// someone (a person or an API key) did in an organisation; it names the organisation by id without a foreign key,
// so the trail outlives whatever it names.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_event')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('organization_id', 'text', (col) => col.notNull())
    .addColumn('actor_type', 'text', (col) => col.notNull().check(sql`actor_type in ('user', 'api-key', 'system')`))
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('target_type', 'text', (col) => col.notNull())
    .addColumn('target_id', 'text')
    .addColumn('target_label', 'text')
    .addColumn('details', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('client_address', 'text')
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('audit_event_org_idx').on('audit_event').columns(['organization_id', 'id']).execute()
  await db.schema.createIndex('audit_event_at_idx').on('audit_event').column('at').execute()

  await db.schema
    .createIndex('invitation_org_status_idx')
    .on('invitation')
    .columns(['organizationId', 'status'])
    .execute()

  await sql`alter table notification_outbox drop constraint notification_outbox_topic_check`.execute(db)
  await sql`alter table notification_outbox add constraint notification_outbox_topic_check check (topic in ('phone-numbers', 'admin-alert', 'invitation'))`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from notification_outbox where topic = 'invitation'`.execute(db)
  await sql`alter table notification_outbox drop constraint notification_outbox_topic_check`.execute(db)
  await sql`alter table notification_outbox add constraint notification_outbox_topic_check check (topic in ('phone-numbers', 'admin-alert'))`.execute(
    db,
  )
  await db.schema.dropIndex('invitation_org_status_idx').ifExists().execute()
  await db.schema.dropTable('audit_event').ifExists().execute()
}
