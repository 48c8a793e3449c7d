import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { insertOrganizations } from '../../test/support/test-history.ts'
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../test/support/test-databases.ts'
import { claimDueOutbox } from '../notifications/notification-repository.ts'
import { claimDueDeliveries } from '../outbound-webhooks/webhook-endpoint-repository.ts'
import { createLogger } from '../lib/logger.ts'
import { startProcessHeartbeat } from './process-heartbeat.ts'
import { beatWorkerProcess, leaveWorkerProcess, registerWorkerProcess } from './worker-process-repository.ts'

const leaseMs = 60_000
const silenceFor = (id: string, seconds: number, database: TestDatabase) =>
  sql`update worker_process set heartbeat_at = now() - make_interval(secs => ${seconds}) where id = ${id}`.execute(
    database.db,
  )

describe.each(testDatabaseKinds)('claims of a process that died (%s)', (kind) => {
  let database: TestDatabase
  let endpointId: string

  beforeAll(async () => {
    database = await createTestDatabase(kind)
    await insertOrganizations(database.db, [{ id: 'org-liveness', name: 'Liveness Co' }])
    const endpoint = await database.db
      .insertInto('webhook_endpoint')
      .values({
        organization_id: 'org-liveness',
        url: 'http://127.0.0.1:9/hook',
        events: JSON.stringify(['phone-number.live']),
        secret_ciphertext: 'sealed',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    endpointId = endpoint.id
  })
  afterAll(async () => {
    await database.close()
  })

  const queueDelivery = async () =>
    (
      await database.db
        .insertInto('outbound_webhook_delivery')
        .values({
          endpoint_id: endpointId,
          event_type: 'phone-number.live',
          phone_number_snapshot: JSON.stringify({}),
          occurred_at: new Date(),
          next_attempt_at: new Date(),
          created_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const queueMail = async () =>
    (
      await database.db
        .insertInto('notification_outbox')
        .values({
          channel: 'email',
          topic: 'phone-numbers',
          recipient: `${randomUUID()}@example.com`,
          user_id: null,
          payload: JSON.stringify({}),
          next_attempt_at: new Date(),
          last_error: null,
          delivered_via: null,
          subject: null,
          text_body: null,
          html_body: null,
          created_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id

  test('a live holder keeps its claim for the whole lease; a silent one loses it at once; one that left, too', async () => {
    const first = `first-${randomUUID()}`
    const second = `second-${randomUUID()}`
    await registerWorkerProcess(database.db, first)
    await registerWorkerProcess(database.db, second)
    const delivery = await queueDelivery()
    const now = new Date()

    const claimedByFirst = await claimDueDeliveries(database.db, { now, batchSize: 10, leaseMs, processId: first })
    expect(claimedByFirst.map((claim) => claim.delivery_id)).toContain(delivery)
    // The first process is alive: its claim holds although the second asks a moment later.
    const whileAlive = await claimDueDeliveries(database.db, {
      now: new Date(now.getTime() + 1_000),
      batchSize: 10,
      leaseMs,
      processId: second,
    })
    expect(whileAlive.map((claim) => claim.delivery_id)).not.toContain(delivery)

    // It stops beating (SIGKILL): after ten silent seconds the second takes the claim, long before the lease ends.
    await silenceFor(first, 11, database)
    await beatWorkerProcess(database.db, second)
    const afterDeath = await claimDueDeliveries(database.db, {
      now: new Date(now.getTime() + 1_000),
      batchSize: 10,
      leaseMs,
      processId: second,
    })
    const taken = afterDeath.find((claim) => claim.delivery_id === delivery)
    expect(taken?.claim_count).toBe((claimedByFirst[0]?.claim_count ?? 0) + 1)

    // The second leaves cleanly with the claim still open: a third process takes it without waiting at all.
    const third = `third-${randomUUID()}`
    await registerWorkerProcess(database.db, third)
    await leaveWorkerProcess(database.db, second)
    const afterLeaving = await claimDueDeliveries(database.db, { now, batchSize: 10, leaseMs, processId: third })
    expect(afterLeaving.map((claim) => claim.delivery_id)).toContain(delivery)
  })

  test('mail claimed by a process that stopped beating is sent by another without waiting out the lease', async () => {
    const first = `mail-first-${randomUUID()}`
    const second = `mail-second-${randomUUID()}`
    await registerWorkerProcess(database.db, first)
    await registerWorkerProcess(database.db, second)
    const mail = await queueMail()
    const now = new Date()
    const claimed = await claimDueOutbox(database.db, { now, leaseMs, limit: 50, processId: first })
    expect(claimed.map((row) => row.id)).toContain(mail)
    expect(
      (await claimDueOutbox(database.db, { now, leaseMs, limit: 50, processId: second })).map((row) => row.id),
    ).not.toContain(mail)
    await silenceFor(first, 11, database)
    const retaken = await claimDueOutbox(database.db, { now, leaseMs, limit: 50, processId: second })
    expect(retaken.find((row) => row.id === mail)?.attempts).toBe(2)
  })

  test('an unclaimed row waiting for a retry is not taken early, whoever is alive', async () => {
    const delivery = await queueDelivery()
    const later = new Date(Date.now() + 60_000)
    await database.db
      .updateTable('outbound_webhook_delivery')
      .set({ next_attempt_at: later, claimed_by: null })
      .where('id', '=', delivery)
      .execute()
    const claimed = await claimDueDeliveries(database.db, { now: new Date(), batchSize: 50, leaseMs })
    expect(claimed.map((claim) => claim.delivery_id)).not.toContain(delivery)
  })

  test('a running heartbeat keeps the process alive and leaves on stop', async () => {
    const id = `beating-${randomUUID()}`
    const heartbeat = await startProcessHeartbeat(database.db, id, createLogger('silent'))
    const row = await database.db.selectFrom('worker_process').selectAll().where('id', '=', id).executeTakeFirst()
    expect(row?.id).toBe(id)
    await heartbeat.stop()
    const gone = await database.db.selectFrom('worker_process').selectAll().where('id', '=', id).executeTakeFirst()
    expect(gone).toBeUndefined()
  })
})
