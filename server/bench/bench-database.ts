import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import { createDatabase, type DatabaseHandle } from '../src/db/create-database.ts'
import { migrateToLatest } from '../src/db/migrate.ts'

export interface ScratchDatabase extends DatabaseHandle {
  url: string
  name: string
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

async function adminQuery(adminUrl: string, text: string) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

/** A migrated database of its own on the given server, dropped again by close(). */
export async function createScratchDatabase(adminUrl: string, label: string): Promise<ScratchDatabase> {
  const name = `dialtone_bench_${label}_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  await adminQuery(adminUrl, `create database ${name}`)
  const url = withDatabaseName(adminUrl, name)
  const handle = await createDatabase({ kind: 'postgres', url, maxConnections: 10 })
  await migrateToLatest(handle.db)
  return {
    ...handle,
    url,
    name,
    close: async () => {
      await handle.close()
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`)
    },
  }
}

/** An organisation row with no users: enough to own numbers that webhooks and pollers act on. */
export async function insertOrganization(database: DatabaseHandle, name: string): Promise<string> {
  const id = randomUUID()
  await database.db
    .insertInto('organization')
    .values({ id, name, slug: `${name.toLowerCase().replace(/\W+/g, '-')}-${id.slice(0, 8)}`, createdAt: new Date() })
    .execute()
  return id
}

/**
 * `count` pending numbers whose Vapi ids are `${prefix}${i}` (i from 1), as provisioning stores them, created in
 * one statement. Their next check is far away, so no poller touches them during a benchmark.
 */
export async function insertPendingNumbers(
  database: DatabaseHandle,
  input: { organizationId: string; prefix: string; count: number },
): Promise<void> {
  await sql`
    insert into phone_number (organization_id, vapi_phone_number_id, area_code, status, next_check_at, created_at, updated_at)
    select ${input.organizationId}, ${input.prefix} || i, '415', 'pending', now() + interval '1 day', now(), now()
    from generate_series(1, ${input.count}::int) as i
  `.execute(database.db)
}
