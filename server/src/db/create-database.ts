import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely'
import { isDatabaseUnavailable } from '../lib/is-database-unavailable.ts'
import pg from 'pg'
import { lockDataDir } from './data-dir-lock.ts'
import { openPglite } from './open-embedded-database.ts'
import { PGliteDialect } from './pglite-dialect.ts'
import type { Database } from './schema.ts'

export type DatabaseKind = 'pglite' | 'postgres'

export interface DatabaseHandle {
  db: Kysely<Database>
  kind: DatabaseKind
  /** The pg pool when on a Postgres server (the Socket.IO adapter and LISTEN need it); null on PGlite. */
  pool: pg.Pool | null
  /** The PGlite instance on the embedded database (backups dump it); absent on Postgres. */
  pglite?: PGlite
  close(): Promise<void>
}

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; maxConnections?: number }
  /** lockWaitMs: how long to wait for another process holding DATA_DIR to end before refusing (default 0). */
  | { kind: 'pglite'; dataDir: string | null; lockWaitMs?: number }

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

/** Where the embedded database lives inside DATA_DIR (beside secrets.json and the lock). */
export const embeddedDatabaseDir = (dataDir: string) => path.resolve(dataDir, 'pglite')

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

  if (target.dataDir === null) {
    // Loaded only for the embedded database: a server on Postgres never needs PGlite's module in memory.
    const { PGlite } = await import('@electric-sql/pglite')
    const client = new PGlite()
    await client.waitReady
    const db = new Kysely<Database>({ dialect: new PGliteDialect(client) })
    return { db, kind: 'pglite', pool: null, pglite: client, close: () => db.destroy() }
  }
  // One process at a time: the lock is taken before PGlite touches the directory and released after it closed.
  const lock = await lockDataDir(target.dataDir, { waitMs: target.lockWaitMs ?? 0 })
  let client: PGlite
  try {
    client = await openPglite(embeddedDatabaseDir(target.dataDir))
  } catch (error) {
    await lock.release()
    throw error
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) })
  return {
    db,
    kind: 'pglite',
    pool: null,
    pglite: client,
    close: async () => {
      await db.destroy()
      await lock.release()
    },
  }
}
