import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { insertOrganizations } from '../../test/support/test-history.ts'
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../test/support/test-databases.ts'
import { claimDueCallEvents, recordForwardAttempt } from '../call-events/call-event-repository.ts'
import {
  claimCarrierPurchase,
  claimDueCarrierPurchases,
  releaseCarrierPurchaseLease,
  startCarrierPurchase,
} from '../carrier-purchases/carrier-purchase-repository.ts'
import { claimDueNumbers, releaseClaimUntil } from '../provisioning/poll-claim-repository.ts'
import { registerWorkerProcess } from './worker-process-repository.ts'

// The poller's claims on pending numbers, carrier purchase sagas and call-event forwarding claims (0020): a claim
// held by a process that stopped beating is taken over once it has been silent ten seconds, long before its lease
// runs out; a live holder's claim is never taken before its lease ends, however long its step takes.

const organizationId = 'org-takeover'
const pollLeaseMs = 30_000
const sagaLeaseMs = 60_000
const silenceFor = (database: TestDatabase, id: string, seconds: number) =>
  sql`update worker_process set heartbeat_at = now() - make_interval(secs => ${seconds}) where id = ${id}`.execute(
    database.db,
  )

describe.each(testDatabaseKinds)('claims of a process that died are taken over early (%s)', (kind) => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase(kind)
    await insertOrganizations(database.db, [{ id: organizationId, name: 'Takeover Co' }])
  })
  afterAll(async () => {
    await database.close()
  })

  const twoProcesses = async () => {
    const first = `first-${randomUUID()}`
    const second = `second-${randomUUID()}`
    await registerWorkerProcess(database.db, first)
    await registerWorkerProcess(database.db, second)
    return { first, second }
  }

  const pendingNumber = async (nextCheckAt: Date) =>
    (
      await database.db
        .insertInto('phone_number')
        .values({
          organization_id: organizationId,
          vapi_phone_number_id: `vapi-${randomUUID()}`,
          area_code: '415',
          number: null,
          name: null,
          status: 'pending',
          failure_code: null,
          failure_reason: null,
          detected_by: null,
          created_at: new Date(),
          updated_at: new Date(),
          next_check_at: nextCheckAt,
          last_checked_at: null,
          activated_at: null,
          released_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id

  test('a pending number claimed by the poller of a dead process is checked by another before the 30 s lease ends', async () => {
    const { first, second } = await twoProcesses()
    const now = new Date()
    const numberId = await pendingNumber(now)
    const options = { batchSize: 100, leaseMs: pollLeaseMs }

    const byFirst = await claimDueNumbers(database.db, now, { ...options, processId: first })
    const claim = byFirst.find((row) => row.id === numberId)
    expect(claim).toBeDefined()
    // The first process is alive and its check is slow: a second poller a few seconds later leaves it alone.
    const later = new Date(now.getTime() + 5_000)
    expect(
      (await claimDueNumbers(database.db, later, { ...options, processId: second })).map((r) => r.id),
    ).not.toContain(numberId)
    // Killed mid-check: silent for 11 s, the number is due for the second poller, with a new claim token.
    await silenceFor(database, first, 11)
    const retaken = (await claimDueNumbers(database.db, later, { ...options, processId: second })).find(
      (row) => row.id === numberId,
    )
    expect(retaken?.check_count).toBe((claim?.check_count ?? 0) + 1)
    // The dead process's late answer cannot move the number any more (its token is stale).
    expect(await releaseClaimUntil(database.db, claim!, new Date(now.getTime() + 1_000))).toBe(false)
  })

  test('between checks nobody holds a number: the death of the process that checked it last does not make it due', async () => {
    const { first, second } = await twoProcesses()
    const now = new Date()
    const numberId = await pendingNumber(now)
    const options = { batchSize: 100, leaseMs: pollLeaseMs }
    const claim = (await claimDueNumbers(database.db, now, { ...options, processId: first })).find(
      (row) => row.id === numberId,
    )
    expect(await releaseClaimUntil(database.db, claim!, new Date(now.getTime() + 20_000))).toBe(true)
    await silenceFor(database, first, 60)
    const claimed = await claimDueNumbers(database.db, new Date(now.getTime() + 1_000), {
      ...options,
      processId: second,
    })
    expect(claimed.map((row) => row.id)).not.toContain(numberId)
  })

  const startSaga = async (processId: string, now: Date) =>
    startCarrierPurchase(
      database.db,
      {
        organization_id: organizationId,
        kind: 'buy',
        carrier: 'twilio',
        carrier_account: 'account-fingerprint',
        number: `+1415${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
        country: 'US',
        capabilities: JSON.stringify({ voice: true, sms: false, mms: false }),
        name: null,
        assistant_id: null,
        requested_by_user_id: null,
        idempotency_key: null,
        step: 'purchasing',
      },
      { now, leaseMs: sagaLeaseMs, processId },
    )

  test('a carrier purchase whose request died mid-step is advanced by another process at once; a live holder keeps it', async () => {
    const { first, second } = await twoProcesses()
    const now = new Date()
    const saga = await startSaga(first, now)
    expect(saga.claimed_by).toBe(first)

    // Alive, however slow the carrier: neither the worker's round nor a webhook takes the saga before its lease ends.
    const soon = new Date(now.getTime() + 15_000)
    const whileAlive = await claimDueCarrierPurchases(database.db, {
      now: soon,
      leaseMs: sagaLeaseMs,
      limit: 50,
      processId: second,
    })
    expect(whileAlive.map((row) => row.id)).not.toContain(saga.id)
    expect(
      await claimCarrierPurchase(database.db, saga.id, { now: soon, leaseMs: sagaLeaseMs, processId: second }),
    ).toBe(undefined)

    // Killed: eleven silent seconds later the worker of the second process takes it, 45 s before the lease ends.
    await silenceFor(database, first, 11)
    const afterDeath = await claimDueCarrierPurchases(database.db, {
      now: soon,
      leaseMs: sagaLeaseMs,
      limit: 50,
      processId: second,
    })
    const taken = afterDeath.find((row) => row.id === saga.id)
    expect(taken?.claimed_by).toBe(second)
    // Now the second holds it, alive: nobody else takes it.
    expect(
      await claimCarrierPurchase(database.db, saga.id, { now: soon, leaseMs: sagaLeaseMs, processId: first }),
    ).toBe(undefined)
  })

  test('a saga given back to wait for its next step is not taken early when the process that held it dies', async () => {
    const { first, second } = await twoProcesses()
    const now = new Date()
    const saga = await startSaga(first, now)
    await releaseCarrierPurchaseLease(database.db, saga.id, new Date(now.getTime() + 15_000))
    await silenceFor(database, first, 60)
    const claimed = await claimDueCarrierPurchases(database.db, {
      now: new Date(now.getTime() + 1_000),
      leaseMs: sagaLeaseMs,
      limit: 50,
      processId: second,
    })
    expect(claimed.map((row) => row.id)).not.toContain(saga.id)
    // A Telnyx webhook may still take it (nobody holds it), as before.
    const byWebhook = await claimCarrierPurchase(database.db, saga.id, {
      now: new Date(now.getTime() + 1_000),
      leaseMs: sagaLeaseMs,
      processId: second,
    })
    expect(byWebhook?.claimed_by).toBe(second)
  })

  const queueCallEvent = async (now: Date) =>
    (
      await database.db
        .insertInto('call_event')
        .values({
          organization_id: organizationId,
          phone_number_id: null,
          call_id: `call-${randomUUID()}`,
          message_type: 'status-update',
          message_key: randomUUID(),
          order_key: randomUUID(),
          occurred_at: now,
          received_at: now,
          payload: JSON.stringify({}),
          forward_body: '{}',
          relay: 'queued',
          next_attempt_at: now,
          last_status: null,
          last_error: null,
          latency_ms: null,
          forwarded_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id

  test('a call event claimed by a process killed mid-forward is forwarded by another early, and only one outcome counts', async () => {
    const { first, second } = await twoProcesses()
    const now = new Date()
    const eventId = String(await queueCallEvent(now))
    const input = { batchSize: 100, leaseMs: sagaLeaseMs }
    const byFirst = (await claimDueCallEvents(database.db, { ...input, now, processId: first })).find(
      (row) => row.id === eventId,
    )
    expect(byFirst).toBeDefined()
    const later = new Date(now.getTime() + 5_000)
    expect(
      (await claimDueCallEvents(database.db, { ...input, now: later, processId: second })).map((row) => row.id),
    ).not.toContain(eventId)

    await silenceFor(database, first, 11)
    const bySecond = (await claimDueCallEvents(database.db, { ...input, now: later, processId: second })).find(
      (row) => row.id === eventId,
    )
    expect(bySecond?.claim_count).toBe((byFirst?.claim_count ?? 0) + 1)
    const outcome = {
      relay: 'sent' as const,
      attemptedAt: later,
      status: 200,
      error: null,
      latencyMs: 5,
      nextAttemptAt: null,
      countsAsAttempt: true,
    }
    // The second records its success; the first, had it only been slow, records nothing (stale claim token).
    expect(await recordForwardAttempt(database.db, bySecond!, outcome)).toBe(true)
    expect(await recordForwardAttempt(database.db, byFirst!, outcome)).toBe(false)
    const row = await database.db
      .selectFrom('call_event')
      .select(['relay', 'attempt_count', 'claimed_by'])
      .where('id', '=', eventId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ relay: 'sent', attempt_count: 1, claimed_by: null })
  })
})
