import { sql, type Kysely } from 'kysely'
import { Hono } from 'hono'
import type { Database } from '../db/schema.ts'
import { errorBody } from '../lib/app-error.ts'

export function healthRoutes(db: Kysely<Database>) {
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      try {
        await sql`select 1`.execute(db)
        return c.json({ status: 'ready' })
      } catch {
        return c.json(
          { status: 'unavailable', ...errorBody('DATABASE_UNAVAILABLE', 'The database is not reachable.') },
          503,
        )
      }
    })
}
