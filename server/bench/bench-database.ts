import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { DatabaseHandle } from '../src/db/create-database.ts'
import { createScratchPostgres } from '../test/support/test-databases.ts'

export interface ScratchDatabase extends DatabaseHandle {
  url: string
  name: string
}

/** A migrated database of its own on the given server, dropped again by close(). */
export async function createScratchDatabase(adminUrl: string, label: string): Promise<ScratchDatabase> {
  return createScratchPostgres(adminUrl, { label: `bench_${label}` })
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
