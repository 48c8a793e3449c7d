import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testDatabaseKinds } from '../support/test-databases.ts'
import { changeCounters, readErrorBody } from './security-assertions.ts'
import { assertMayCreateOrganization } from '../../src/auth/limit-organization-creates.ts'
import { createOrganizationForOwner } from '../../src/auth/organization-repository.ts'
import { defaultCreateRateLimits } from '../../src/security/limit-phone-number-creates.ts'
import { harnessSecrets, startSecurityHarness, type SecurityHarness } from './security-harness.ts'

const kind = testDatabaseKinds.at(-1) ?? 'pglite'

describe(`rate limits on ${kind}`, () => {
  let harness: SecurityHarness

  beforeAll(async () => {
    // Better Auth's limits on, as in production; the create limit at its default.
    harness = await startSecurityHarness(kind, { isAuthRateLimitEnabled: true })
  })
  afterAll(async () => {
    await harness.close()
  })

  test('password guessing is cut off after 10 sign-ins a minute from one address, right password included', async () => {
    const victim = await harness.signUp('Guessed')
    const statuses: number[] = []
    for (let guess = 0; guess < 12; guess++) {
      const response = await harness.request('/api/auth/sign-in/email', {
        method: 'POST',
        json: { email: victim.email, password: `guess number ${guess}` },
      })
      statuses.push(response.status)
      await response.arrayBuffer()
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true)
    expect(statuses.slice(10)).toEqual([429, 429])

    // Once limited, even the right password waits: the limit does not tell a guesser when they got it right.
    const right = await harness.request('/api/auth/sign-in/email', {
      method: 'POST',
      json: { email: victim.email, password: harnessSecrets.password },
    })
    expect(right.status).toBe(429)
    expect(Number(right.headers.get('x-retry-after') ?? right.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(right.headers.get('set-cookie')).toBeNull()
    console.info(`[security] sign-in: ${statuses.length + 1} tries from one address → ${JSON.stringify(statuses)}, 429`)
  })

  test('an organisation may buy 30 numbers a minute; the 31st answers 429 with Retry-After and buys nothing', async () => {
    const owner = await harness.signUp('Bulk')
    const other = await harness.signUp('Neighbour')
    const create = (cookie: string) =>
      harness.request('/api/phone-numbers', { method: 'POST', cookie, json: { areaCode: '415' } })

    // In batches, as a script would; concurrent creates could overshoot by the number in flight.
    const statuses: number[] = []
    for (let batch = 0; batch < defaultCreateRateLimits.perOrganization.max / 10; batch++) {
      const responses = await Promise.all(Array.from({ length: 10 }, () => create(owner.cookie)))
      for (const response of responses) {
        statuses.push(response.status)
        await response.arrayBuffer()
      }
    }
    expect(statuses).toEqual(Array.from({ length: defaultCreateRateLimits.perOrganization.max }, () => 201))

    const before = await changeCounters(harness.db)
    const heldBefore = ((await (await fetch(`${harness.sandbox.url}/_sandbox/phone-numbers`)).json()) as unknown[])
      .length
    const limited = await create(owner.cookie)
    expect(limited.status).toBe(429)
    const retryAfter = Number(limited.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(await readErrorBody(limited)).toMatchObject({ error: { code: 'RATE_LIMITED' } })
    expect(await changeCounters(harness.db)).toEqual(before)
    const heldAfter = ((await (await fetch(`${harness.sandbox.url}/_sandbox/phone-numbers`)).json()) as unknown[])
      .length
    expect(heldAfter).toBe(heldBefore)

    // Reads and other organisations are not held back.
    const list = await harness.request('/api/phone-numbers', { cookie: owner.cookie })
    expect(list.status).toBe(200)
    await list.arrayBuffer()
    const neighbour = await create(other.cookie)
    expect(neighbour.status).toBe(201)
    await neighbour.arrayBuffer()
    console.info(
      `[security] creates: ${statuses.length} × 201 then 429 (Retry-After ${retryAfter} s); another organisation still 201`,
    )
  })

  test('a new organisation is no way around the purchase limit: it holds per user, and creating organisations is limited', async () => {
    const owner = await harness.signUp('Minter')
    const create = () =>
      harness.request('/api/phone-numbers', { method: 'POST', cookie: owner.cookie, json: { areaCode: '415' } })
    for (let batch = 0; batch < defaultCreateRateLimits.perUser.max / 10; batch++) {
      const responses = await Promise.all(Array.from({ length: 10 }, create))
      expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 10 }, () => 201))
      await Promise.all(responses.map((response) => response.arrayBuffer()))
    }

    // The probe's way around it, a fresh organisation made active (201 before), is refused outright now: the
    // account library's organisation routes are not offered (auth/offered-auth-routes.ts).
    const fresh = await harness.createOrganization(owner.cookie, 'Fresh start')
    expect(fresh.status).toBe(404)
    // And were the user active in a second organisation, the limit would still hold: it counts per user.
    const { id: userId } = await harness.db
      .selectFrom('user')
      .select('id')
      .where('email', '=', owner.email)
      .executeTakeFirstOrThrow()
    const secondOrganizationId = await createOrganizationForOwner(harness.db, { userId, ownerName: 'Minter' })
    await harness.db
      .updateTable('session')
      .set({ activeOrganizationId: secondOrganizationId })
      .where('userId', '=', userId)
      .execute()
    const before = await changeCounters(harness.db)
    const limited = await create()
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(await readErrorBody(limited)).toMatchObject({
      error: { code: 'RATE_LIMITED', details: { scope: 'perUser' } },
    })
    expect(await changeCounters(harness.db)).toEqual(before)

    const statuses = [fresh.status]

    // And a user owns at most so many at all (the organisation made at sign-up counts).
    await expect(
      assertMayCreateOrganization(harness.db, {
        userId,
        now: new Date(),
        limits: { maxOwned: 1, maxCreatedPerWindow: 100, windowMs: 60_000 },
      }),
    ).rejects.toMatchObject({ statusCode: 403 })
    console.info(
      `[security] purchases per user: 30 × 201, organisation/create → ${JSON.stringify(statuses)}, a second organisation → 429 per user`,
    )
  })
})
