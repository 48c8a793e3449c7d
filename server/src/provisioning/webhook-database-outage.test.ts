import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { z } from 'zod'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Database } from '../db/schema.ts'
import {
  countWebhookDeliveries,
  createNumber,
  eventsFor,
  historyOf,
  phoneNumberRow,
  postWebhook,
  statusMessage,
} from '../../test/support/provisioning-test-kit.ts'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { vapiIdOf } from '../../test/support/vapi-id-of.ts'

// PGlite runs inside the process: it has no connection to lose, so an outage can only be shown on Postgres.
const postgresOnly = testDatabaseKinds.includes('postgres') ? describe : describe.skip

async function waitFor<T>(read: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

postgresOnly('webhooks while Postgres is unavailable', () => {
  let harness: TestApp
  let cookie: string
  let blocker: pg.Client
  // pg_stat_activity is frozen for the length of a transaction, so it is read from a connection of its own.
  let monitor: pg.Client
  let blockerPid: number

  beforeAll(async () => {
    harness = await startTestApp('postgres')
    cookie = (await harness.signUp('Owner')).cookie
    blocker = new pg.Client({ connectionString: harness.database.url ?? '' })
    await blocker.connect()
    blockerPid = z
      .object({ pid: z.number() })
      .parse((await blocker.query('select pg_backend_pid() as pid')).rows[0]).pid
    monitor = new pg.Client({ connectionString: harness.database.url ?? '' })
    await monitor.connect()
  })
  afterAll(async () => {
    await blocker.end()
    await monitor.end()
    await harness.close()
  })

  test('a connection lost in the middle of the webhook’s statement answers 503 and leaves nothing half-written', async () => {
    const created = await createNumber(harness, cookie, '415')
    const body = statusMessage({ id: vapiIdOf(created), status: 'active', number: '+14155550170' })
    const deliveriesBefore = await countWebhookDeliveries(harness)
    const eventsBefore = eventsFor(harness, created.id).length

    // Hold the number's row so the webhook's statement, which also writes its delivery, waits to lock the number…
    await blocker.query('begin')
    await blocker.query('select id from phone_number where id = $1 for no key update', [created.id])
    const pending = postWebhook(harness, body, { messageId: 'outage-1' })
    const waiting = await waitFor(async () => {
      const result = await monitor.query<{ pid: number; query: string }>(
        `select pid, query from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`,
      )
      return result.rows[0]
    })
    // The group commit's statement (pg_stat_activity shows its first kilobyte: the delivery rows it carries).
    expect(waiting.query).toMatch(/with input as \(\s*select \* from unnest\(/i)
    // …and there its connection dies, as in a Postgres restart or a network cut.
    await monitor.query('select pg_terminate_backend($1)', [waiting.pid])
    const response = await pending
    await blocker.query('rollback')

    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('5')
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('DATABASE_UNAVAILABLE')
    expect(await countWebhookDeliveries(harness)).toBe(deliveriesBefore)
    expect(await phoneNumberRow(harness, created.id)).toMatchObject({ status: 'pending', version: 1, number: null })
    expect(await historyOf(harness, created.id)).toHaveLength(1)
    expect(eventsFor(harness, created.id)).toHaveLength(eventsBefore)

    // The sender retries the same delivery once Postgres is back: it is not mistaken for a duplicate.
    const retried = await postWebhook(harness, body, { messageId: 'outage-1' })
    expect(retried.status).toBe(200)
    expect(await retried.json()).toEqual({ received: true, outcome: 'transitioned' })
    expect(eventsFor(harness, created.id).map((event) => event.phoneNumber.status)).toEqual(['pending', 'active'])
  })

  test('later requests on the same pool still work after connections were killed (no dead client is reused)', async () => {
    await monitor.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and pid not in (pg_backend_pid(), $1)`,
      [blockerPid],
    )
    // Like after a Postgres restart: the pool notices its idle connections are gone and drops them.
    const pool = harness.database.pool
    await waitFor(async () => (pool?.totalCount === 0 ? true : undefined))
    const created = await createNumber(harness, cookie, '415')
    const body = statusMessage({ id: vapiIdOf(created), status: 'active', number: '+14155550171' })
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, index) => postWebhook(harness, body, { messageId: `after-kill-${index}` })),
    )
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200])
    expect((await phoneNumberRow(harness, created.id)).status).toBe('active')
  })

  test('an unreachable database answers 503 and the delivery is taken once it is back', async () => {
    const created = await createNumber(harness, cookie, '415')
    const body = statusMessage({ id: vapiIdOf(created), status: 'active', number: '+14155550172' })
    // A real pool pointed at a port where no Postgres listens: every connection attempt is refused.
    const unreachable = new Kysely<Database>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 1_000 }),
      }),
    })
    const reachable = harness.provisioning.db
    harness.provisioning.db = unreachable
    let response: Response
    try {
      response = await postWebhook(harness, body, { messageId: 'unreachable-1' })
    } finally {
      harness.provisioning.db = reachable
      await unreachable.destroy()
    }
    expect(response.status).toBe(503)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('DATABASE_UNAVAILABLE')
    expect(await phoneNumberRow(harness, created.id)).toMatchObject({ status: 'pending', version: 1 })

    const retried = await postWebhook(harness, body, { messageId: 'unreachable-1' })
    expect(await retried.json()).toEqual({ received: true, outcome: 'transitioned' })
  })
})
