import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { pollDueNumbers } from './poll-pending-numbers.ts'
import {
  createNumber,
  eventsFor,
  eventually,
  historyOf,
  makePendingDue,
  phoneNumberRow,
  postWebhook,
  sandboxGetsOf,
  sandboxHoldings,
  setSandboxFaults,
  statusMessage,
} from '../../test/support/provisioning-test-kit.ts'
import { transitionPhoneNumber } from './phone-number-transition-repository.ts'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { vapiIdOf } from '../../test/support/vapi-id-of.ts'

async function outcomesOf(responses: Response[]) {
  const outcomes: string[] = []
  for (const response of responses) {
    expect(response.status).toBe(200)
    const body = (await response.json()) as { outcome: string }
    outcomes.push(body.outcome)
  }
  return outcomes.sort()
}

function countOf(values: string[], value: string) {
  return values.filter((entry) => entry === value).length
}

describe.each(testDatabaseKinds)('racing signals on %s', (kind) => {
  let harness: TestApp
  let cookie: string
  beforeAll(async () => {
    harness = await startTestApp(kind)
    cookie = (await harness.signUp('Owner')).cookie
  })
  afterAll(async () => {
    await harness.close()
  })

  test('20 identical deliveries in parallel: one transition, one history row, one event, one delivery row', async () => {
    const created = await createNumber(harness, cookie, '415')
    const body = statusMessage({ id: vapiIdOf(created), status: 'active', number: '+14155550150' })
    const timestampMs = Date.now()
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => postWebhook(harness, body, { messageId: `same-${created.id}`, timestampMs })),
    )
    const outcomes = await outcomesOf(responses)
    expect(countOf(outcomes, 'transitioned')).toBe(1)
    expect(countOf(outcomes, 'duplicate')).toBe(19)

    expect(await phoneNumberRow(harness, created.id)).toMatchObject({ status: 'active', version: 2 })
    expect((await historyOf(harness, created.id)).filter((change) => change.to_status === 'active')).toHaveLength(1)
    expect(eventsFor(harness, created.id).filter((event) => event.phoneNumber.status === 'active')).toHaveLength(1)
    const deliveries = await harness.db
      .selectFrom('webhook_delivery')
      .select('outcome')
      .where('phone_number_id', '=', created.id)
      .execute()
    expect(deliveries).toEqual([{ outcome: 'transitioned' }])
  })

  test('20 deliveries with different ids about the same assignment: still one transition and one event', async () => {
    const created = await createNumber(harness, cookie, '415')
    const body = statusMessage({ id: vapiIdOf(created), status: 'active', number: '+14155550151' })
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        postWebhook(harness, body, { messageId: `copy-${index}-${created.id}` }),
      ),
    )
    const outcomes = await outcomesOf(responses)
    expect(countOf(outcomes, 'transitioned')).toBe(1)
    expect(countOf(outcomes, 'unchanged')).toBe(19)

    expect(await phoneNumberRow(harness, created.id)).toMatchObject({ status: 'active', version: 2 })
    expect((await historyOf(harness, created.id)).filter((change) => change.to_status === 'active')).toHaveLength(1)
    expect(eventsFor(harness, created.id).filter((event) => event.phoneNumber.status === 'active')).toHaveLength(1)
    const deliveries = await harness.db
      .selectFrom('webhook_delivery')
      .select((eb) => ['outcome', eb.fn.countAll<number>().as('n')])
      .where('phone_number_id', '=', created.id)
      .groupBy('outcome')
      .orderBy('outcome')
      .execute()
    expect(deliveries.map((row) => [row.outcome, Number(row.n)])).toEqual([
      ['transitioned', 1],
      ['unchanged', 19],
    ])
  })

  test('a webhook and the poller racing on the same numbers: each number changes once', async () => {
    // Vapi assigns quickly, but its own webhook is dropped: our webhook and the poller carry the same news.
    await setSandboxFaults(harness, { webhookDropRate: 1 })
    try {
      const created = await Promise.all(Array.from({ length: 6 }, () => createNumber(harness, cookie, '537')))
      const ids = new Set(created.map((entry) => entry.vapiPhoneNumberId))
      const holdings = await eventually(
        async () => (await sandboxHoldings(harness)).filter((entry) => ids.has(entry.id)),
        (list) => list.every((entry) => entry.number !== undefined),
      )
      expect(holdings.every((entry) => entry.number !== undefined)).toBe(true)
      await makePendingDue(harness, harness.provisioning.clock.now())

      const [round, ...responses] = await Promise.all([
        pollDueNumbers(harness.provisioning),
        ...holdings.map((holding) =>
          postWebhook(harness, statusMessage({ id: holding.id, status: 'active', number: holding.number ?? '' }), {
            messageId: `race-${holding.id}`,
          }),
        ),
      ])
      const outcomes = await outcomesOf(responses)
      // Every number went live exactly once, by whichever signal got there first.
      expect(round.activated + countOf(outcomes, 'transitioned')).toBe(created.length)
      expect(countOf(outcomes, 'transitioned') + countOf(outcomes, 'unchanged')).toBe(created.length)
      for (const entry of created) {
        const row = await phoneNumberRow(harness, entry.id)
        const holding = holdings.find((candidate) => candidate.id === entry.vapiPhoneNumberId)
        expect(row).toMatchObject({ status: 'active', number: holding?.number, version: 2 })
        expect(['webhook', 'poll']).toContain(row.detected_by)
        const activations = (await historyOf(harness, entry.id)).filter((change) => change.to_status === 'active')
        expect(activations).toEqual([
          { from_status: 'pending', to_status: 'active', source: row.detected_by, reason: null },
        ])
        expect(eventsFor(harness, entry.id).filter((event) => event.phoneNumber.status === 'active')).toHaveLength(1)
      }
    } finally {
      await setSandboxFaults(harness, { webhookDropRate: 0 })
    }
  })

  test('an `activating` message after `active` changes nothing, and asks Vapi nothing', async () => {
    const created = await createNumber(harness, cookie, '415')
    await postWebhook(harness, statusMessage({ id: vapiIdOf(created), status: 'active', number: '+14155550152' }))
    const live = await phoneNumberRow(harness, created.id)
    expect(live).toMatchObject({ status: 'active', version: 2 })
    const eventsBefore = eventsFor(harness, created.id).length

    const late = await postWebhook(harness, statusMessage({ id: vapiIdOf(created), status: 'activating' }))
    expect(await late.json()).toEqual({ received: true, outcome: 'unchanged' })
    // A late "blocked" cannot fail a live number either, nor can another number replace the one it has.
    const blocked = await postWebhook(harness, statusMessage({ id: vapiIdOf(created), status: 'blocked' }))
    expect(await blocked.json()).toEqual({ received: true, outcome: 'unchanged' })
    const other = await postWebhook(
      harness,
      statusMessage({ id: vapiIdOf(created), status: 'active', number: '+14155550153' }),
    )
    expect(await other.json()).toEqual({ received: true, outcome: 'unchanged' })

    const after = await phoneNumberRow(harness, created.id)
    expect(after).toEqual(live)
    expect(eventsFor(harness, created.id)).toHaveLength(eventsBefore)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await sandboxGetsOf(harness, vapiIdOf(created))).toEqual([])
  })

  test('failed → active is impossible: a number Vapi blocked stays failed', async () => {
    const created = await createNumber(harness, cookie, '415')
    const blocked = await postWebhook(harness, statusMessage({ id: vapiIdOf(created), status: 'blocked' }))
    expect(await blocked.json()).toEqual({ received: true, outcome: 'transitioned' })
    const failed = await phoneNumberRow(harness, created.id)
    expect(failed).toMatchObject({ status: 'failed', failure_code: 'blocked', version: 2, number: null })
    expect(failed.failure_reason).toMatch(/Vapi blocked this number/)

    const late = await postWebhook(
      harness,
      statusMessage({ id: vapiIdOf(created), status: 'active', number: '+14155550154' }),
    )
    expect(await late.json()).toEqual({ received: true, outcome: 'unchanged' })
    // The transition itself refuses, whatever the source.
    for (const source of ['poll', 'manual', 'webhook'] as const) {
      const transition = await transitionPhoneNumber(harness.db, {
        phoneNumberId: created.id,
        signal: { kind: 'assigned', number: '+14155550154' },
        source,
        now: new Date(),
      })
      expect(transition).toBeNull()
    }
    expect(await phoneNumberRow(harness, created.id)).toEqual(failed)
    expect(await historyOf(harness, created.id)).toEqual([
      { from_status: null, to_status: 'pending', source: 'create', reason: null },
      { from_status: 'pending', to_status: 'failed', source: 'webhook', reason: 'blocked' },
    ])
  })

  test('released is final: nothing brings a released number back or releases it twice', async () => {
    const created = await createNumber(harness, cookie, '415')
    await postWebhook(harness, statusMessage({ id: vapiIdOf(created), status: 'active', number: '+14155550155' }))
    const release = await harness.request(`/api/phone-numbers/${created.id}`, { method: 'DELETE', cookie })
    expect(release.status).toBe(200)
    const released = await phoneNumberRow(harness, created.id)
    expect(released).toMatchObject({ status: 'released', version: 3 })

    const late = await postWebhook(
      harness,
      statusMessage({ id: vapiIdOf(created), status: 'active', number: '+14155550155' }),
    )
    expect(await late.json()).toEqual({ received: true, outcome: 'unchanged' })
    for (const signal of [
      { kind: 'assigned', number: '+14155550155' },
      { kind: 'released' },
      { kind: 'failed', failureCode: 'blocked', failureReason: 'x' },
    ] as const) {
      expect(
        await transitionPhoneNumber(harness.db, { phoneNumberId: created.id, signal, source: 'poll', now: new Date() }),
      ).toBeNull()
    }
    expect(await phoneNumberRow(harness, created.id)).toEqual(released)
    expect((await historyOf(harness, created.id)).map((change) => [change.from_status, change.to_status])).toEqual([
      [null, 'pending'],
      ['pending', 'active'],
      ['active', 'released'],
    ])
  })

  test('racing releases and activations on the same pending numbers: history stays a forward path', async () => {
    const created = await Promise.all(Array.from({ length: 5 }, () => createNumber(harness, cookie, '415')))
    await Promise.all(
      created.flatMap((entry) => [
        harness.request(`/api/phone-numbers/${entry.id}`, { method: 'DELETE', cookie }),
        postWebhook(harness, statusMessage({ id: vapiIdOf(entry), status: 'active', number: '+14155550156' })),
      ]),
    )
    for (const entry of created) {
      const row = await phoneNumberRow(harness, entry.id)
      expect(row.status).toBe('released')
      const path = (await historyOf(harness, entry.id)).map((change) => [change.from_status, change.to_status])
      // Either the activation won and the release followed, or the release came first and the activation lost.
      expect([
        [
          [null, 'pending'],
          ['pending', 'active'],
          ['active', 'released'],
        ],
        [
          [null, 'pending'],
          ['pending', 'released'],
        ],
      ]).toContainEqual(path)
      expect(row.version).toBe(path.length)
    }
  })
})

describe.each(testDatabaseKinds)('a webhook that arrives before the purchase is stored, on %s', (kind) => {
  let harness: TestApp
  let owner: Awaited<ReturnType<TestApp['signUp']>>
  beforeAll(async () => {
    // Vapi assigns within 5 ms of answering the create: its webhook races dialtone's own insert of the number.
    harness = await startTestApp(kind, { sandboxMinDelayMs: 0, sandboxMaxDelayMs: 5 })
    owner = await harness.signUp('Owner')
  })
  afterAll(async () => {
    await harness.close()
  })

  test('every number still goes live by its webhook, none is filed as someone else’s', async () => {
    const numbers = []
    for (let index = 0; index < 10; index++) numbers.push(await createNumber(harness, owner.cookie, '415'))
    for (const number of numbers) {
      const row = await eventually(
        () => phoneNumberRow(harness, number.id),
        (current) => current.status === 'active',
      )
      expect(row).toMatchObject({ status: 'active', detected_by: 'webhook' })
    }
    const outcomes = await harness.db.selectFrom('webhook_delivery').select('outcome').execute()
    expect(outcomes.map((row) => row.outcome)).toEqual(Array.from({ length: 10 }, () => 'transitioned'))
  })

  test('the webhook waits while the named attempt is in flight, and applies once the number is stored', async () => {
    const attempt = await harness.db
      .insertInto('provisioning_attempt')
      .values({
        organization_id: owner.organizationId,
        area_code: '415',
        outcome: 'in_flight',
        requested_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const vapiPhoneNumberId = '6f0c3f8e-1111-4222-8333-444455556666'
    const early = postWebhook(
      harness,
      statusMessage({ id: vapiPhoneNumberId, status: 'active', number: '+14155550199' }),
      { query: `attempt=${attempt.id}` },
    )
    await new Promise((resolve) => setTimeout(resolve, 200))
    // The purchase is stored the way provisionPhoneNumber stores it: the number and the attempt's outcome together.
    const stored = await harness.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('phone_number')
        .values({
          organization_id: owner.organizationId,
          vapi_phone_number_id: vapiPhoneNumberId,
          area_code: '415',
          status: 'pending',
          created_at: new Date(),
          updated_at: new Date(),
          next_check_at: new Date(Date.now() + 2_000),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .updateTable('provisioning_attempt')
        .set({ outcome: 'purchased', phone_number_id: row.id, vapi_phone_number_id: vapiPhoneNumberId })
        .where('id', '=', attempt.id)
        .execute()
      return row
    })
    const response = await early
    expect(await response.json()).toEqual({ received: true, outcome: 'transitioned' })
    expect(await phoneNumberRow(harness, stored.id)).toMatchObject({ status: 'active', number: '+14155550199' })
  })

  test('an attempt that is settled, unknown or not an id does not hold the webhook up', async () => {
    const settled = await harness.db
      .insertInto('provisioning_attempt')
      .values({ organization_id: owner.organizationId, area_code: '415', outcome: 'refused', requested_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const attempt of [settled.id, '00000000-0000-4000-8000-000000000001', 'not-a-uuid', "x'; drop table x;--"]) {
      const startedAt = performance.now()
      const response = await postWebhook(
        harness,
        statusMessage({ id: '6f0c3f8e-2222-4222-8333-444455556666', status: 'active', number: '+14155550198' }),
        { query: `attempt=${encodeURIComponent(attempt)}` },
      )
      expect(await response.json()).toEqual({ received: true, outcome: 'not-ours' })
      expect(performance.now() - startedAt).toBeLessThan(1_000)
    }
  })
})
