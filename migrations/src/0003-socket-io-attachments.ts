import { sql, type Kysely } from 'kysely'

// @socket.io/postgres-adapter sends events between processes with NOTIFY; a payload over NOTIFY's 8000-byte
// limit goes through this table instead. The adapter expects it to exist and cleans it up itself.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('socket_io_attachments')
    .ifNotExists()
    .addColumn('id', 'bigserial', (col) => col.unique())
    .addColumn('created_at', 'timestamptz', (col) => col.defaultTo(sql`now()`))
    .addColumn('payload', 'bytea')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('socket_io_attachments').ifExists().execute()
}
