import type { DatabaseHandle } from '../../src/db/create-database.ts'
import { createScratchPostgres } from '../../test/support/test-databases.ts'
import { chaosDatabaseUrl } from './test-env.ts'

export interface ScratchDatabase extends DatabaseHandle {
  url: string
  host: string
  port: number
  name: string
  /** The same database reached through another host and port (a proxy in front of Postgres). */
  urlVia(host: string, port: number): string
}

/** A fresh, migrated Postgres database for one scenario; close() drops it, whoever is still connected. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const database = await createScratchPostgres(chaosDatabaseUrl, { label: 'chaos', maxConnections: 5 })
  const url = new URL(database.url)
  return {
    ...database,
    host: url.hostname,
    port: Number(url.port || 5432),
    urlVia: (host, port) => {
      const via = new URL(url)
      via.hostname = host
      via.port = String(port)
      return via.toString()
    },
  }
}
