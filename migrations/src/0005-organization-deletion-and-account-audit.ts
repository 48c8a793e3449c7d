import { sql, type Kysely } from 'kysely'

// Frozen in time, like every migration: Kysely<any>, no imports from the server.
//
// An organisation is deleted by marking it ("deletedAt"), never by removing its row: its numbers' and attempts'
// history stays in the admin statistics. 0001 made those rows follow the organisation's row on delete (cascade);
// they now refuse it (restrict), so removing an organisation with history fails loudly instead of erasing it.
// A deleted organisation takes no new attempt or number (a purchase that raced the deletion is refused before
// Vapi is called, or rolled back at Vapi if it was already bought).
//
// account_audit_event records what platform admins (and owners deleting their organisation) did to accounts:
// who, what, to whom, when. It has no foreign keys, so the record outlives what it is about.

const historyForeignKeys = [
  { table: 'phone_number', constraint: 'phone_number_organization_id_fkey' },
  { table: 'provisioning_attempt', constraint: 'provisioning_attempt_organization_id_fkey' },
] as const

async function setOrganizationForeignKeys(db: Kysely<any>, onDelete: 'restrict' | 'cascade'): Promise<void> {
  for (const { table, constraint } of historyForeignKeys) {
    await db.schema.alterTable(table).dropConstraint(constraint).execute()
    await db.schema
      .alterTable(table)
      .addForeignKeyConstraint(constraint, ['organization_id'], 'organization', ['id'], (fk) => fk.onDelete(onDelete))
      .execute()
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organization').addColumn('deletedAt', 'timestamptz').execute()
  await setOrganizationForeignKeys(db, 'restrict')

  // FOR SHARE re-reads the organisation's newest row version, so an insert racing the deletion sees it.
  await sql`
    create function refuse_rows_of_deleted_organization() returns trigger language plpgsql as $$
    begin
      perform 1 from organization where id = new.organization_id and "deletedAt" is not null for share;
      if found then
        raise exception 'organization % is deleted', new.organization_id using errcode = 'P0001';
      end if;
      return new;
    end
    $$`.execute(db)
  for (const table of ['provisioning_attempt', 'phone_number']) {
    await sql`
      create trigger ${sql.raw(`${table}_refuse_deleted_organization`)} before insert on ${sql.table(table)}
      for each row execute function refuse_rows_of_deleted_organization()`.execute(db)
  }

  await db.schema
    .createTable('account_audit_event')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    // null: a command on the server (pnpm admin:grant), not a signed-in person.
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_email', 'text')
    .addColumn('action', 'text', (col) =>
      col
        .notNull()
        .check(
          sql`action in ('ban-user', 'unban-user', 'grant-platform-admin', 'revoke-platform-admin', 'delete-organization')`,
        ),
    )
    .addColumn('target_user_id', 'text')
    .addColumn('target_email', 'text')
    .addColumn('target_organization_id', 'text')
    .addColumn('details', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute()
  await db.schema.createIndex('account_audit_event_at_idx').on('account_audit_event').column('at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('account_audit_event').ifExists().execute()
  for (const table of ['provisioning_attempt', 'phone_number']) {
    await sql`drop trigger if exists ${sql.raw(`${table}_refuse_deleted_organization`)} on ${sql.table(table)}`.execute(
      db,
    )
  }
  await sql`drop function if exists refuse_rows_of_deleted_organization()`.execute(db)
  await setOrganizationForeignKeys(db, 'cascade')
  await db.schema.alterTable('organization').dropColumn('deletedAt').execute()
}
