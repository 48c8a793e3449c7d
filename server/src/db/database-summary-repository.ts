import { sql, type Kysely } from 'kysely'

export interface DatabaseSummary {
  /** Migrations recorded as applied, in the order they ran. */
  migrations: string[]
  /** Rows in each of dialtone's tables (Kysely's own bookkeeping left out). */
  rowCounts: Record<string, number>
}

/** What a backup or a restored database holds: its migration level and how many rows each table has. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any database, whatever its migration level
export async function summarizeDatabase(db: Kysely<any>): Promise<DatabaseSummary> {
  const tables = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = 'public' order by tablename`.execute(db)
  const names = tables.rows.map((row) => row.name)
  const migrations = names.includes('kysely_migration')
    ? (await sql<{ name: string }>`select name from kysely_migration order by timestamp, name`.execute(db)).rows.map(
        (row) => row.name,
      )
    : []
  const rowCounts: Record<string, number> = {}
  for (const name of names.filter((table) => !table.startsWith('kysely_'))) {
    const counted = await sql<{ rows: number }>`select count(*)::int as rows from ${sql.table(name)}`.execute(db)
    rowCounts[name] = counted.rows[0]?.rows ?? 0
  }
  return { migrations, rowCounts }
}
