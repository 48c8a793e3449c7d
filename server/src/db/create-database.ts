import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely'
import { isDatabaseUnavailable } from '../lib/is-database-unavailable.ts'
import pg from 'pg'
import { PGliteDialect } from './pglite-dialect.ts'
import { embeddedPgliteStartParams, initializePgliteDataDir } from './pglite-memory.ts'
import type { Database } from './schema.ts'

export type DatabaseKind = 'pglite' | 'postgres'

export interface DatabaseHandle {
  db: Kysely<Database>
  kind: DatabaseKind
  /** The pg pool when on a Postgres server (the Socket.IO adapter and LISTEN need it); null on PGlite. */
  pool: pg.Pool | null
  close(): Promise<void>
}

export type DatabaseTarget =
  { kind: 'postgres'; url: string; maxConnections?: number } | { kind: 'pglite'; dataDir: string | null }

// Counts and sums come back from Postgres as int8/numeric; they fit in a JS number for every figure dialtone keeps.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value))

/**
 * When Postgres ends a connection (a restart, pg_terminate_backend), the running query fails with the server's
 * FATAL message a moment before the socket closes; released in that moment, the client would go back to the pool
 * and fail the next request too. A client whose query failed that way is released as broken, so the pool drops it.
 */
function discardingLostConnections(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => {
      const client = await pool.connect()
      let lostWith: Error | undefined
      const query = (text: string, parameters: readonly unknown[]) =>
        client.query(text, [...parameters]).catch((error: unknown) => {
          if (isDatabaseUnavailable(error)) lostWith = error instanceof Error ? error : new Error('connection lost')
          throw error
        })
      // Kysely streams through a cursor overload that dialtone never uses; plain queries are all it sends.
      return { query: query as unknown as PostgresPoolClient['query'], release: () => client.release(lostWith) }
    },
    end: () => pool.end(),
  }
}

export async function createDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.maxConnections ?? 20,
      connectionTimeoutMillis: 5_000,
    })
    // An idle client losing its server (Postgres restarted) must not crash the process; the pool replaces it.
    pool.on('error', () => {})
    // pg-pool listens for a client's errors only while it is idle. A client in use (mid-transaction) whose server
    // goes away emits 'error' besides failing its query; with no listener that would crash the process. The query
    // still rejects (the request answers 503) and the pool drops the client when it is released.
    pool.on('connect', (client) => client.on('error', () => {}))
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: discardingLostConnections(pool) }) })
    return { db, kind: 'postgres', pool, close: () => db.destroy() }
  }

  let dataDir: string | undefined
  if (target.dataDir !== null) {
    dataDir = path.resolve(target.dataDir, 'pglite')
    await mkdir(dataDir, { recursive: true })
    await initializePgliteDataDir(dataDir)
  }
  // Loaded only for the embedded database: a server on Postgres never needs PGlite's module in memory.
  const { PGlite } = await import('@electric-sql/pglite')
  const client = new PGlite(dataDir === undefined ? undefined : { dataDir, startParams: embeddedPgliteStartParams })
  await client.waitReady
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) })
  return { db, kind: 'pglite', pool: null, close: () => db.destroy() }
}
