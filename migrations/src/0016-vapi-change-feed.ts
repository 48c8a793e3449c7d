import { sql, type Kysely } from 'kysely'

// The poller's change feed (issue 19): one row per Vapi account with pending numbers. Whoever holds the lease runs
// that account's `GET /phone-number?updatedAtGt=` for everyone; checked_through is where the next call starts
// (before the clock-skew margin), last_run_at spaces the calls, not_before holds a Retry-After or an error's wait.
// lease_token is bumped by every claim, so a process whose lease ran out cannot write over the next holder's work.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vapi_account_feed')
    .addColumn('account_key', 'text', (col) => col.primaryKey())
    .addColumn('checked_through', 'timestamptz')
    .addColumn('last_run_at', 'timestamptz')
    .addColumn('not_before', 'timestamptz')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('lease_token', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vapi_account_feed').ifExists().execute()
}
