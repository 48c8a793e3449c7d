import { errorBodySchema, type ErrorBody } from '@dialtone/shared/errors'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../src/db/schema.ts'

/** Everything a request could have changed, in one row: equal before and after means nothing changed. */
export async function changeCounters(db: Kysely<Database>) {
  const result = await sql<{
    deliveries: number
    history: number
    numbers: number
    versions: number
    attempts: number
    users: number
  }>`select
      (select count(*) from webhook_delivery)::int as deliveries,
      (select count(*) from phone_number_status_change)::int as history,
      (select count(*) from phone_number)::int as numbers,
      (select coalesce(sum(version), 0) from phone_number)::int as versions,
      (select count(*) from provisioning_attempt)::int as attempts,
      (select count(*) from "user")::int as users`.execute(db)
  const row = result.rows[0]
  if (!row) throw new Error('counters query returned no row')
  return row
}

/**
 * The API's one error shape, or a description of what came instead (a test prints it when the status or the
 * shape is wrong, so a failing case says what the server answered).
 */
export async function readErrorBody(response: Response): Promise<ErrorBody | string> {
  const text = await response.text()
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : `not the error shape: ${text.slice(0, 300)}`
  } catch {
    return `not JSON: ${text.slice(0, 300)}`
  }
}

/** The brief's bound: a socket whose session ended is gone within a second. */
export const disconnectWithinMs = 1_000

/** Resolves with how long the socket took to be disconnected by the server, or rejects after `timeoutMs`. */
export function disconnection(
  socket: { once(event: 'disconnect', listener: (reason: string) => void): unknown },
  timeoutMs = disconnectWithinMs * 3,
): Promise<{ ms: number; reason: string }> {
  const startedAt = performance.now()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs)
    socket.once('disconnect', (reason) => {
      clearTimeout(timer)
      resolve({ ms: performance.now() - startedAt, reason })
    })
  })
}
