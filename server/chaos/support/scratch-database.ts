import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { createDatabase, type DatabaseHandle } from '../../src/db/create-database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { chaosDatabaseUrl } from './test-env.ts'

export interface ScratchDatabase extends DatabaseHandle {
  url: string
  host: string
  port: number
  name: string
  /** The same database reached through another host and port (a proxy in front of Postgres). */
  urlVia(host: string, port: number): string
}

async function runOnServer(statement: string) {
  const client = new pg.Client({ connectionString: chaosDatabaseUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** A fresh, migrated Postgres database for one scenario; close() drops it, whoever is still connected. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `dialtone_chaos_${randomUUID().replaceAll('-', '').slice(0, 16)}`
  await runOnServer(`create database ${name}`)
  const url = new URL(chaosDatabaseUrl)
  url.pathname = `/${name}`
  const handle = await createDatabase({ kind: 'postgres', url: url.toString(), maxConnections: 5 })
  await migrateToLatest(handle.db)
  return {
    ...handle,
    url: url.toString(),
    host: url.hostname,
    port: Number(url.port || 5432),
    name,
    urlVia: (host, port) => {
      const via = new URL(url)
      via.hostname = host
      via.port = String(port)
      return via.toString()
    },
    close: async () => {
      await handle.close()
      await runOnServer(`drop database if exists ${name} with (force)`)
    },
  }
}
