import { sql, type Kysely } from 'kysely'

// Limits shared by every process: one counter row per limited key (an address, an account, an organisation's
// "check all") and window, incremented atomically; and who asked for each purchase, so purchases are limited per
// user across all the organisations they belong to, not only per organisation.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limit_counter')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('window_started_at', 'timestamptz', (col) => col.notNull())
    .addColumn('window_ms', 'integer', (col) => col.notNull())
    .addColumn('count', 'integer', (col) => col.notNull())
    .execute()
  await db.schema
    .createIndex('rate_limit_counter_window_idx')
    .on('rate_limit_counter')
    .column('window_started_at')
    .execute()

  await db.schema.alterTable('provisioning_attempt').addColumn('requested_by_user_id', 'text').execute()
  await db.schema
    .createIndex('provisioning_attempt_user_requested_idx')
    .on('provisioning_attempt')
    .columns(['requested_by_user_id', 'requested_at'])
    .where(sql.ref('requested_by_user_id'), 'is not', null)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('provisioning_attempt_user_requested_idx').execute()
  await db.schema.alterTable('provisioning_attempt').dropColumn('requested_by_user_id').execute()
  await db.schema.dropTable('rate_limit_counter').execute()
}
