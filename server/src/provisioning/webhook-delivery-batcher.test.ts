import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { insertOrganization, insertPendingNumbers } from '../../bench/bench-database.ts'
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../test/support/test-databases.ts'
import { isDatabaseUnavailable } from '../lib/is-database-unavailable.ts'
import { createDeliveryBatcher, type DeliveryBatcher } from './webhook-delivery-batcher.ts'
import type { DeliveryToRecord, RecordedDelivery } from './webhook-delivery-repository.ts'

const now = new Date('2026-12-01T12:00:00Z')

async function numberIdsOf(database: TestDatabase, prefix: string, count: number) {
  const rows = await database.db
    .selectFrom('phone_number')
    .select(['id', 'vapi_phone_number_id'])
    .where('vapi_phone_number_id', 'like', `${prefix}%`)
    .execute()
  const byVapiId = new Map(rows.map((row) => [row.vapi_phone_number_id, row.id]))
  return Array.from({ length: count }, (_, index) => byVapiId.get(`${prefix}${index + 1}`) ?? '')
}

function activation(deliveryId: string, phoneNumberId: string, number: string): DeliveryToRecord {
  return {
    delivery_id: deliveryId,
    message_type: 'phone-number-status-update',
    vapi_phone_number_id: null,
    phone_number_id: phoneNumberId,
    payload: '{}',
    received_at: now,
    transition: { phoneNumberId, signal: { kind: 'assigned', number }, to: 'active', source: 'webhook', now },
  }
}

function ignored(deliveryId: string, payload = '{}'): DeliveryToRecord {
  return {
    delivery_id: deliveryId,
    message_type: 'status-update',
    vapi_phone_number_id: null,
    phone_number_id: null,
    payload,
    received_at: now,
    outcome: 'ignored',
  }
}

/** Each delivery's promise, settled: what the batcher answered or the error it gave. */
async function settle(promises: Promise<RecordedDelivery>[]) {
  return Promise.all(
    promises.map((promise) =>
      promise.then(
        (recorded) => ({ recorded, error: null }),
        (error: unknown) => ({ recorded: null, error }),
      ),
    ),
  )
}

async function stateOf(database: TestDatabase, phoneNumberId: string) {
  const row = await database.db
    .selectFrom('phone_number')
    .select(['status', 'version', 'number'])
    .where('id', '=', phoneNumberId)
    .executeTakeFirstOrThrow()
  const history = await database.db
    .selectFrom('phone_number_status_change')
    .select('to_status')
    .where('phone_number_id', '=', phoneNumberId)
    .execute()
  return { ...row, history: history.map((change) => change.to_status) }
}

async function deliveryOutcome(database: TestDatabase, deliveryId: string) {
  const row = await database.db
    .selectFrom('webhook_delivery')
    .select('outcome')
    .where('delivery_id', '=', deliveryId)
    .executeTakeFirst()
  return row?.outcome ?? null
}

describe.each(testDatabaseKinds)('group commit of webhook deliveries on %s', (kind) => {
  let database: TestDatabase
  let organizationId: string
  let batches: number[]
  let batcher: DeliveryBatcher
  beforeAll(async () => {
    database = await createTestDatabase(kind)
    organizationId = await insertOrganization(database, 'Batcher')
    batches = []
    batcher = createDeliveryBatcher(database.db, { onBatch: (size) => batches.push(size) })
  })
  afterAll(async () => {
    await database.close()
  })

  test('concurrent copies of one delivery in one batch apply once; other deliveries of the same number wait their turn', async () => {
    await insertPendingNumbers(database, { organizationId, prefix: 'dup-', count: 2 })
    const [first = '', second = ''] = await numberIdsOf(database, 'dup-', 2)
    batches.length = 0
    // The first goes alone (nothing was running); everything sent while it runs goes together in the next statement.
    const results = await settle([
      batcher.record(ignored('dup-opener')),
      ...Array.from({ length: 6 }, () => batcher.record(activation('dup-same', first, '+14155550101'))),
      ...Array.from({ length: 4 }, (_, index) =>
        batcher.record(activation(`dup-other-${index}`, first, '+14155550101')),
      ),
      batcher.record(activation('dup-second', second, '+14155550102')),
    ])
    expect(results.map((result) => result.error)).toEqual(results.map(() => null))
    const outcomes = results.map((result) => result.recorded?.outcome)
    expect(outcomes).toEqual([
      'ignored',
      'transitioned',
      ...Array.from({ length: 5 }, () => 'duplicate'),
      ...Array.from({ length: 4 }, () => 'unchanged'),
      'transitioned',
    ])
    // Copies of 'dup-same' rode in one batch with 'dup-second'; the other ids of the first number came after it.
    expect(batches[0]).toBe(1)
    expect(batches[1]).toBe(2)
    expect(
      results.filter((result) => result.recorded?.transition).map((result) => result.recorded?.transition?.from),
    ).toEqual(['pending', 'pending'])
    expect(await stateOf(database, first)).toEqual({
      status: 'active',
      version: 2,
      number: '+14155550101',
      history: ['active'],
    })
    expect(await stateOf(database, second)).toMatchObject({ status: 'active', version: 2, history: ['active'] })
    expect(await deliveryOutcome(database, 'dup-same')).toBe('transitioned')
    expect(await deliveryOutcome(database, 'dup-other-0')).toBe('unchanged')
  })

  test('a statement that fails writes nothing of its batch; each delivery is then tried alone, so only the bad one fails', async () => {
    await insertPendingNumbers(database, { organizationId, prefix: 'bad-', count: 3 })
    const ids = await numberIdsOf(database, 'bad-', 3)
    batches.length = 0
    const results = await settle([
      batcher.record(ignored('bad-opener')),
      ...ids.map((id, index) => batcher.record(activation(`bad-${index}`, id, `+1415555011${index}`))),
      // Not JSON: the statement's ::jsonb cast fails, and with it the whole multi-row statement.
      batcher.record(ignored('bad-poison', '{not json')),
    ])
    expect(batches).toEqual([1, 4, 1, 1, 1, 1])
    expect(results.slice(0, 4).map((result) => result.recorded?.outcome)).toEqual([
      'ignored',
      'transitioned',
      'transitioned',
      'transitioned',
    ])
    expect(results[4]?.error).toBeInstanceOf(Error)
    expect(await deliveryOutcome(database, 'bad-poison')).toBeNull()
    for (const id of ids) expect(await stateOf(database, id)).toMatchObject({ version: 2, history: ['active'] })
  })
})

// PGlite runs inside the process: it has no connection to cut, so a crash mid-batch can only be shown on Postgres.
const postgresOnly = testDatabaseKinds.includes('postgres') ? describe : describe.skip

postgresOnly('group commit while Postgres connections are cut', () => {
  let database: TestDatabase
  let organizationId: string
  let admin: pg.Client
  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    organizationId = await insertOrganization(database, 'Batcher outage')
    admin = new pg.Client({ connectionString: database.url ?? '' })
    await admin.connect()
  })
  afterAll(async () => {
    await admin.end()
    await database.close()
  })

  test('a connection cut while a batch waits on a lock fails every request of that batch and writes none of it', async () => {
    await insertPendingNumbers(database, { organizationId, prefix: 'cut-', count: 3 })
    const ids = await numberIdsOf(database, 'cut-', 3)
    const batcher = createDeliveryBatcher(database.db)
    // Hold one number's row so the batch's statement stops at its lock, with its other rows already in it.
    await admin.query('begin')
    await admin.query('select id from phone_number where id = $1 for no key update', [ids[0]])
    const pending = settle([
      batcher.record(ignored('cut-opener')),
      ...ids.map((id, index) => batcher.record(activation(`cut-${index}`, id, `+1415555012${index}`))),
    ])
    const watcher = new pg.Client({ connectionString: database.url ?? '' })
    await watcher.connect()
    try {
      let waitingPid: number | undefined
      for (let tries = 0; waitingPid === undefined && tries < 500; tries++) {
        const result = await watcher.query<{ pid: number }>(
          `select pid from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query like '%unnest%'`,
        )
        waitingPid = result.rows[0]?.pid
        if (waitingPid === undefined) await new Promise((resolve) => setTimeout(resolve, 10))
      }
      expect(waitingPid).toBeDefined()
      await watcher.query('select pg_terminate_backend($1)', [waitingPid])
    } finally {
      await watcher.end()
    }
    const results = await pending
    await admin.query('rollback')

    // The opener went alone; the three activations went together and waited on the held row until the cut.
    expect(results[0]?.recorded?.outcome).toBe('ignored')
    for (const [index, id] of ids.entries()) {
      const result = results[index + 1]
      expect(isDatabaseUnavailable(result?.error)).toBe(true)
      expect(await deliveryOutcome(database, `cut-${index}`)).toBeNull()
      expect(await stateOf(database, id)).toMatchObject({ status: 'pending', version: 1, history: [] })
    }
  })

  test('connections cut again and again during a burst: every acknowledged delivery is committed, retries apply once', async () => {
    const count = 120
    await insertPendingNumbers(database, { organizationId, prefix: 'burst-', count })
    const ids = await numberIdsOf(database, 'burst-', count)
    const batcher = createDeliveryBatcher(database.db)
    const deliveryOf = (index: number) =>
      activation(`burst-${index}`, ids[index] ?? '', `+1415556${String(index).padStart(4, '0')}`)
    let isBursting = true
    // Every other batch statement seen in flight is cut: some batches die mid-statement, others commit.
    const killer = (async () => {
      const seen = new Set<string>()
      let kills = 0
      while (isBursting) {
        const active = await admin.query<{ pid: number; started: string }>(
          `select pid, xact_start::text as started from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and state = 'active'
              and query like '%unnest%'`,
        )
        for (const { pid, started } of active.rows) {
          if (seen.has(`${pid} ${started}`)) continue
          seen.add(`${pid} ${started}`)
          if (seen.size % 2 === 1) {
            await admin.query('select pg_terminate_backend($1)', [pid])
            kills++
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 1))
      }
      return kills
    })()
    const results: Awaited<ReturnType<typeof settle>> = []
    for (let start = 0; start < count; start += 20) {
      results.push(
        ...(await settle(Array.from({ length: 20 }, (_, offset) => batcher.record(deliveryOf(start + offset))))),
      )
    }
    isBursting = false
    const kills = await killer
    expect(kills).toBeGreaterThan(0)
    expect(results.some((result) => result.error === null)).toBe(true)
    expect(results.some((result) => result.error !== null)).toBe(true)

    for (const [index, result] of results.entries()) {
      if (result.error !== null) continue
      // Acknowledged: its row and its change are there.
      expect(await deliveryOutcome(database, `burst-${index}`)).toBe('transitioned')
      expect(await stateOf(database, ids[index] ?? '')).toMatchObject({ status: 'active', version: 2 })
    }
    // The sender retries what was not acknowledged: each applies once (a cut after the commit answers 'duplicate').
    for (const [index, result] of results.entries()) {
      if (result.error === null) continue
      const retried = await batcher.record(deliveryOf(index))
      expect(['transitioned', 'duplicate']).toContain(retried.outcome)
    }
    for (const id of ids) {
      expect(await stateOf(database, id)).toMatchObject({ status: 'active', version: 2, history: ['active'] })
    }
  })
})
