import { createHash, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, rename, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { allMigrations } from '@dialtone/migrations/all-migrations'
import { Kysely } from 'kysely'
import { PGliteDialect } from '../../src/db/pglite-dialect.ts'
import type { Database } from '../../src/db/schema.ts'
import pg from 'pg'
import { createDatabase, type DatabaseHandle, type DatabaseKind } from '../../src/db/create-database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
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

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/**
 * A database of its own on a Postgres server, for one test file, scenario or benchmark; close() drops it, whoever
 * is still connected. The one place tests, the chaos suite and the benchmarks make throwaway databases.
 */
export async function createScratchPostgres(
  serverUrl: string,
  options: { label: string; maxConnections?: number; isMigrated?: boolean },
): Promise<TestDatabase & { url: string; name: string }> {
  const name = `dialtone_${options.label}_${randomUUID().replaceAll('-', '').slice(0, 16)}`
  await onServer(serverUrl, `create database ${name}`)
  const url = withDatabaseName(serverUrl, name)
  const handle = await createDatabase({ kind: 'postgres', url, maxConnections: options.maxConnections ?? 10 })
  if (options.isMigrated ?? true) await migrateToLatest(handle.db)
  return {
    ...handle,
    url,
    name,
    close: async () => {
      await handle.close()
      await onServer(serverUrl, `drop database if exists ${name} with (force)`)
    },
  }
}

/** A fresh, empty database of the given kind; dropped again by close(). */
export async function createEmptyTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') return { ...(await createDatabase({ kind: 'pglite', dataDir: null })), url: null }
  if (!testDatabaseUrl) throw new Error('TEST_DATABASE_URL is not set')
  return createScratchPostgres(testDatabaseUrl, { label: 'test', isMigrated: false })
}

/**
 * A migrated PGlite, from a data-directory snapshot cached on disk: initdb inside WebAssembly takes seconds,
 * loading a snapshot a fraction of that, and test files each need fresh databases.
 */
async function createMigratedPGlite(): Promise<TestDatabase> {
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        migrations: Object.keys(allMigrations),
        sources: Object.values(allMigrations).map((m) => m.up.toString()),
      }),
    )
    .digest('hex')
    .slice(0, 16)
  const templatePath = path.join(os.tmpdir(), `dialtone-pglite-template-${key}.tar`)
  if (existsSync(templatePath)) {
    const snapshot = new Blob([await readFile(templatePath)])
    const client = new PGlite({ loadDataDir: snapshot })
    await client.waitReady
    const db = new Kysely<Database>({ dialect: new PGliteDialect(client) })
    return { db, kind: 'pglite', pool: null, url: null, close: () => db.destroy() }
  }
  const client = new PGlite()
  await client.waitReady
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) })
  await migrateToLatest(db)
  const snapshot = await client.dumpDataDir('none')
  // Written aside and renamed, so a parallel test file never reads half a snapshot.
  const partial = `${templatePath}.${process.pid}.${randomUUID()}`
  await writeFile(partial, Buffer.from(await snapshot.arrayBuffer()))
  await rename(partial, templatePath)
  return { db, kind: 'pglite', pool: null, url: null, close: () => db.destroy() }
}

/** A fresh database with every migration applied. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') return createMigratedPGlite()
  if (!testDatabaseUrl) throw new Error('TEST_DATABASE_URL is not set')
  return createScratchPostgres(testDatabaseUrl, { label: 'test' })
}
