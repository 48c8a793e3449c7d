import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { webhookUrlForAttempt } from './provision-phone-number.ts'
import { reconcileInterruptedAttempts } from './reconcile-interrupted-attempts.ts'
import { retryVapiOrphans } from './retry-vapi-orphans.ts'

describe.each(testDatabaseKinds)('after a purchase interrupted by a crash, on %s', (kind) => {
  let harness: TestApp
  beforeAll(async () => {
    harness = await startTestApp(kind)
  })
  afterAll(async () => {
    await harness.close()
  })

  test('a number bought but never stored is found by its attempt id and deleted at Vapi', async () => {
    const owner = await harness.signUp('Crashy')
    const startedAt = new Date(Date.now() - 5_000)
    // What the database holds when the process died after Vapi's answer and before the commit.
    const bought = await harness.db
      .insertInto('provisioning_attempt')
      .values({
        organization_id: owner.organizationId,
        area_code: '415',
        outcome: 'in_flight',
        requested_at: startedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const atVapi = await harness.vapi.createPhoneNumber({
      numberDesiredAreaCode: '415',
      server: { url: webhookUrlForAttempt(harness.provisioning.webhookUrl, bought.id) },
    })
    // And when it died before Vapi answered at all.
    const neverBought = await harness.db
      .insertInto('provisioning_attempt')
      .values({
        organization_id: owner.organizationId,
        area_code: '212',
        outcome: 'in_flight',
        requested_at: startedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()

    expect(await reconcileInterruptedAttempts(harness.provisioning, { settleMs: 1_000 })).toEqual({
      checked: 2,
      released: 1,
    })
    expect(await retryVapiOrphans(harness.provisioning)).toEqual({ deleted: 1, failed: 0 })

    const holdings = (await (await fetch(`${harness.sandbox.url}/_sandbox/phone-numbers`)).json()) as {
      id: string
      releasedAt: string | null
    }[]
    expect(holdings.find((holding) => holding.id === atVapi.id)?.releasedAt).toEqual(expect.any(String))
    const attempts = await harness.db
      .selectFrom('provisioning_attempt')
      .select(['id', 'outcome', 'vapi_phone_number_id', 'reconciled_at'])
      .where('id', 'in', [bought.id, neverBought.id])
      .execute()
    const boughtAttempt = attempts.find((attempt) => attempt.id === bought.id)
    expect(boughtAttempt).toMatchObject({ outcome: 'rolled_back', vapi_phone_number_id: atVapi.id })
    expect(boughtAttempt?.reconciled_at).toBeInstanceOf(Date)
    expect(attempts.find((attempt) => attempt.id === neverBought.id)).toMatchObject({
      outcome: 'error',
      vapi_phone_number_id: null,
    })
    // Looked up once: a second pass finds nothing left to do.
    expect(await reconcileInterruptedAttempts(harness.provisioning, { settleMs: 1_000 })).toEqual({
      checked: 0,
      released: 0,
    })
  })

  test('a stored number is never released by the reconciler, and fresh attempts are left alone', async () => {
    const owner = await harness.signUp('Calm')
    const created = await harness.request('/api/phone-numbers', {
      method: 'POST',
      json: { areaCode: '303' },
      cookie: owner.cookie,
    })
    expect(created.status).toBe(201)
    const { vapiPhoneNumberId } = (await created.json()) as { vapiPhoneNumberId: string }
    await harness.db
      .insertInto('provisioning_attempt')
      .values({
        organization_id: owner.organizationId,
        area_code: '303',
        outcome: 'in_flight',
        requested_at: new Date(),
      })
      .execute()
    expect(await reconcileInterruptedAttempts(harness.provisioning, { settleMs: 60_000 })).toEqual({
      checked: 0,
      released: 0,
    })
    const holdings = (await (await fetch(`${harness.sandbox.url}/_sandbox/phone-numbers`)).json()) as {
      id: string
      releasedAt: string | null
    }[]
    expect(holdings.find((holding) => holding.id === vapiPhoneNumberId)?.releasedAt).toBeNull()
  })

  test('a create whose answer was lost (Vapi made the number, then answered 500) ends with nothing bought', async () => {
    const owner = await harness.signUp('Unlucky')
    await fetch(`${harness.sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lostCreateAnswerRate: 1 }),
    })
    try {
      const response = await harness.request('/api/phone-numbers', {
        method: 'POST',
        json: { areaCode: '617' },
        cookie: owner.cookie,
      })
      expect(response.status).toBe(503)
    } finally {
      await fetch(`${harness.sandbox.url}/_sandbox/faults`, { method: 'DELETE' })
    }
    const unreleased = async () =>
      (
        (await (await fetch(`${harness.sandbox.url}/_sandbox/phone-numbers`)).json()) as {
          id: string
          numberDesiredAreaCode: string
          releasedAt: string | null
        }[]
      ).filter((holding) => holding.numberDesiredAreaCode === '617' && holding.releasedAt === null)
    expect(await unreleased()).toHaveLength(1)

    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await reconcileInterruptedAttempts(harness.provisioning, { settleMs: 10 })).toMatchObject({ released: 1 })
    expect(await retryVapiOrphans(harness.provisioning)).toEqual({ deleted: 1, failed: 0 })
    expect(await unreleased()).toHaveLength(0)
    const rows = await harness.db.selectFrom('phone_number').select('id').where('area_code', '=', '617').execute()
    expect(rows).toEqual([])
  })
})
