import { sql } from 'kysely'
import { expect, test } from 'vitest'
import { allMigrations } from '@dialtone/migrations/all-migrations'
import { migrateDownAll, migrateToLatest } from './migrate.ts'
import { createEmptyTestDatabase, testDatabaseKinds } from '../../test/support/test-databases.ts'

async function tableNames(db: Parameters<typeof migrateToLatest>[0]) {
  const result = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(db)
  return result.rows.map((row) => row.table_name)
}

test.each(testDatabaseKinds)('migrations go up, down and up again on %s', async (kind) => {
  const names = Object.keys(allMigrations)
  expect(names[0]).toBe('0001-initial')
  const database = await createEmptyTestDatabase(kind)
  try {
    expect(await migrateToLatest(database.db)).toEqual(names.map((name) => `Up ${name}`))
    const tables = await tableNames(database.db)
    expect(tables).toEqual(
      expect.arrayContaining([
        'user',
        'session',
        'organization',
        'member',
        'phone_number',
        'phone_number_status_change',
        'provisioning_attempt',
        'webhook_delivery',
        'idempotency_key',
        'vapi_orphan',
      ]),
    )
    expect(await migrateDownAll(database.db)).toEqual(names.toReversed().map((name) => `Down ${name}`))
    expect(await tableNames(database.db)).toEqual([])
    expect(await migrateToLatest(database.db)).toEqual(names.map((name) => `Up ${name}`))
    expect(await tableNames(database.db)).toEqual(tables)
  } finally {
    await database.close()
  }
})
