import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { createDatabase, type DatabaseHandle, type DatabaseKind } from '../db/create-database.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { testDatabaseUrl } from './test-env.ts'

/** PGlite always; a Postgres server too when TEST_DATABASE_URL is set (CI sets it). */
export const testDatabaseKinds: DatabaseKind[] = testDatabaseUrl ? ['pglite', 'postgres'] : ['pglite']

export interface TestDatabase extends DatabaseHandle {
  /** The Postgres URL of this throwaway database; null on PGlite. */
  url: string | null
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

/** A fresh, empty database of the given kind; dropped again by close(). */
export async function createEmptyTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') return { ...(await createDatabase({ kind: 'pglite', dataDir: null })), url: null }
  if (!testDatabaseUrl) throw new Error('TEST_DATABASE_URL is not set')
  const name = `dialtone_test_${randomUUID().replaceAll('-', '')}`
  const admin = new pg.Client({ connectionString: testDatabaseUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = withDatabaseName(testDatabaseUrl, name)
  const handle = await createDatabase({ kind: 'postgres', url, maxConnections: 10 })
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close()
      const dropper = new pg.Client({ connectionString: testDatabaseUrl })
      await dropper.connect()
      await dropper.query(`drop database if exists ${name} with (force)`)
      await dropper.end()
    },
  }
}

/** A fresh database with every migration applied. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const database = await createEmptyTestDatabase(kind)
  await migrateToLatest(database.db)
  return database
}
