import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startTestApp, type TestApp } from '../test-support/test-app.ts'
import { testDatabaseKinds } from '../test-support/test-databases.ts'
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
})
