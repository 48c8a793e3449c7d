import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { storeConnection } from '../connections/connection-repository.ts'
import { fingerprintSecret } from '../credentials/credential-box.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'

interface SandboxHolding {
  id: string
  number?: string
  releasedAt: string | null
  server?: { url: string }
}

async function sandboxHoldings(harness: TestApp): Promise<SandboxHolding[]> {
  return (await (await fetch(`${harness.sandbox.url}/_sandbox/phone-numbers`)).json()) as SandboxHolding[]
}

async function countRows(harness: TestApp, table: 'phone_number' | 'provisioning_attempt') {
  const row = await harness.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

describe.each(testDatabaseKinds)('phone-number API on %s', (kind) => {
  let harness: TestApp
  let owner: Awaited<ReturnType<TestApp['signUp']>>
  beforeAll(async () => {
    harness = await startTestApp(kind)
    owner = await harness.signUp('Owner')
  })
  afterAll(async () => {
    await harness.close()
  })

  const create = (body: unknown, init: { cookie?: string; headers?: Record<string, string> } = {}) =>
    harness.request('/api/phone-numbers', {
      method: 'POST',
      json: body,
      cookie: init.cookie ?? owner.cookie,
      ...(init.headers ? { headers: init.headers } : {}),
    })

  test('a create buys at Vapi and stores a pending number with Vapi’s id, pointing Vapi at our webhook', async () => {
    const eventsBefore = harness.events.length
    const response = await create({ areaCode: '415', name: 'Front desk' })
    expect(response.status).toBe(201)
    const phoneNumber = (await response.json()) as Record<string, unknown>
    expect(phoneNumber).toMatchObject({
      name: 'Front desk',
      areaCode: '415',
      number: null,
      status: 'pending',
      failureReason: null,
      detectedBy: null,
      version: 1,
      activatedAt: null,
    })
    const holding = (await sandboxHoldings(harness)).find((entry) => entry.id === phoneNumber.vapiPhoneNumberId)
    expect(holding).toBeDefined()
    expect(holding?.server?.url).toMatch(new RegExp(`^${harness.baseUrl}/webhooks/vapi\\?attempt=[0-9a-f-]{36}$`))

    const attempt = await harness.db
      .selectFrom('provisioning_attempt')
      .selectAll()
      .where('phone_number_id', '=', String(phoneNumber.id))
      .executeTakeFirstOrThrow()
    expect(attempt).toMatchObject({
      outcome: 'purchased',
      area_code: '415',
      vapi_phone_number_id: phoneNumber.vapiPhoneNumberId,
    })
    expect(attempt.duration_ms).toBeGreaterThanOrEqual(0)
    expect(harness.events.slice(eventsBefore)).toEqual([{ organizationId: owner.organizationId, phoneNumber }])

    const read = await harness.request(`/api/phone-numbers/${String(phoneNumber.id)}`, { cookie: owner.cookie })
    expect(await read.json()).toEqual(phoneNumber)
  })

  test('an invalid area code is refused before Vapi is called and changes nothing', async () => {
    const attemptsBefore = await countRows(harness, 'provisioning_attempt')
    const holdingsBefore = (await sandboxHoldings(harness)).length
    for (const areaCode of ['123', '41', '911', '4155', 'abc', '']) {
      const response = await create({ areaCode })
      expect(response.status).toBe(400)
      const body = (await response.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('VALIDATION_FAILED')
      expect(body.error.message).toMatch(/^areaCode: /)
    }
    expect((await create({ areaCode: '415', name: 'x'.repeat(41) })).status).toBe(400)
    expect((await create({ areaCode: '415', extra: true })).status).toBe(
      201 /* unknown JSON keys are dropped, not sent to Vapi */,
    )
    expect(await countRows(harness, 'provisioning_attempt')).toBe(attemptsBefore + 1)
    expect((await sandboxHoldings(harness)).length).toBe(holdingsBefore + 1)
  })

  test('533 answers 409 with Vapi’s hints first, then nearby codes, and leaves no row', async () => {
    const numbersBefore = await countRows(harness, 'phone_number')
    const response = await create({ areaCode: '533' })
    expect(response.status).toBe(409)
    const body = (await response.json()) as {
      error: {
        code: string
        message: string
        details: {
          areaCode: string
          suggestedAreaCodes: { areaCode: string; source: string; state: string; places: string[] }[]
        }
      }
    }
    expect(body.error.code).toBe('AREA_CODE_UNAVAILABLE')
    expect(body.error.message).toMatch(/no numbers left in area code 533/)
    const suggestions = body.error.details.suggestedAreaCodes
    expect(suggestions.length).toBeGreaterThanOrEqual(3)
    expect(suggestions.map((entry) => entry.areaCode)).not.toContain('533')
    expect(suggestions[0]?.source).toBe('vapi')
    for (const suggestion of suggestions) {
      expect(suggestion.state).toMatch(/^[A-Z]{2}$/)
      expect(suggestion.places.length).toBeGreaterThan(0)
    }
    const sources = suggestions.map((entry) => entry.source)
    expect(sources.lastIndexOf('vapi')).toBeLessThan(Math.max(sources.indexOf('nearby'), sources.length))
    expect(await countRows(harness, 'phone_number')).toBe(numbersBefore)
    const attempt = await harness.db
      .selectFrom('provisioning_attempt')
      .selectAll()
      .where('area_code', '=', '533')
      .executeTakeFirstOrThrow()
    expect(attempt).toMatchObject({
      outcome: 'refused',
      failure_code: 'area_code_unavailable',
      phone_number_id: null,
      vapi_status_code: 400,
    })
  })

  test('536 (Vapi 500) answers 503 VAPI_UNAVAILABLE, buys nothing and leaves no row', async () => {
    const numbersBefore = await countRows(harness, 'phone_number')
    const holdingsBefore = (await sandboxHoldings(harness)).length
    const response = await create({ areaCode: '536' })
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('30')
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('VAPI_UNAVAILABLE')
    expect(await countRows(harness, 'phone_number')).toBe(numbersBefore)
    expect((await sandboxHoldings(harness)).length).toBe(holdingsBefore)
    const requests = (await (await fetch(`${harness.sandbox.url}/_sandbox/requests`)).json()) as {
      requests: { method: string; route: string; status?: number }[]
    }
    const creates536 = requests.requests.filter((entry) => entry.method === 'POST' && entry.route === '/phone-number')
    expect(creates536.length).toBeGreaterThan(0)
  })

  test('a storage failure after the purchase deletes the number at Vapi and leaves no row', async () => {
    await sql`create or replace function dialtone_test_fail_insert() returns trigger language plpgsql as $$
      begin raise exception 'injected storage failure'; end $$`.execute(harness.db)
    await sql`create trigger dialtone_test_fail before insert on phone_number for each row execute function dialtone_test_fail_insert()`.execute(
      harness.db,
    )
    try {
      const numbersBefore = await countRows(harness, 'phone_number')
      const response = await create({ areaCode: '212' })
      expect(response.status).toBe(500)
      const body = (await response.json()) as { error: { code: string; message: string } }
      expect(body.error.message).toMatch(/released at Vapi again and nothing was bought/)
      expect(await countRows(harness, 'phone_number')).toBe(numbersBefore)
      const attempt = await harness.db
        .selectFrom('provisioning_attempt')
        .selectAll()
        .where('area_code', '=', '212')
        .executeTakeFirstOrThrow()
      expect(attempt.outcome).toBe('rolled_back')
      const holding = (await sandboxHoldings(harness)).find((entry) => entry.id === attempt.vapi_phone_number_id)
      expect(holding?.releasedAt).toEqual(expect.any(String))
      const orphans = await harness.db.selectFrom('vapi_orphan').selectAll().execute()
      expect(orphans).toEqual([])
    } finally {
      await sql`drop trigger dialtone_test_fail on phone_number`.execute(harness.db)
    }
  })

  test('the same Idempotency-Key twice buys once and answers the first answer again', async () => {
    const holdingsBefore = (await sandboxHoldings(harness)).length
    const key = `key-${crypto.randomUUID()}`
    const first = await create({ areaCode: '646', name: 'Once' }, { headers: { 'idempotency-key': key } })
    const second = await create({ areaCode: '646', name: 'Once' }, { headers: { 'idempotency-key': key } })
    expect(first.status).toBe(201)
    expect(second.status).toBe(201)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(await second.json()).toEqual(await first.json())
    expect((await sandboxHoldings(harness)).length).toBe(holdingsBefore + 1)

    const reused = await create({ areaCode: '212' }, { headers: { 'idempotency-key': key } })
    expect(reused.status).toBe(409)
    expect(((await reused.json()) as { error: { message: string } }).error.message).toMatch(/different request/)
  })

  test('identical creates racing with one Idempotency-Key buy at most once', async () => {
    const holdingsBefore = (await sandboxHoldings(harness)).length
    const key = `race-${crypto.randomUUID()}`
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => create({ areaCode: '718' }, { headers: { 'idempotency-key': key } })),
    )
    const statuses = responses.map((response) => response.status)
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1)
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true)
    expect((await sandboxHoldings(harness)).length).toBe(holdingsBefore + 1)
  })

  test('a failed create gives its Idempotency-Key back so the owner can retry', async () => {
    const key = `retry-${crypto.randomUUID()}`
    expect((await create({ areaCode: '536' }, { headers: { 'idempotency-key': key } })).status).toBe(503)
    expect((await create({ areaCode: '536' }, { headers: { 'idempotency-key': key } })).status).toBe(503)
  })

  test('another organisation’s number answers 404 on every route and is not touched', async () => {
    const created = (await (await create({ areaCode: '303' })).json()) as { id: string; version: number }
    const stranger = await harness.signUp('Stranger')
    for (const [method, path] of [
      ['GET', `/api/phone-numbers/${created.id}`],
      ['POST', `/api/phone-numbers/${created.id}/refresh`],
      ['DELETE', `/api/phone-numbers/${created.id}`],
    ] as const) {
      const response = await harness.request(path, { method, cookie: stranger.cookie })
      expect(response.status, `${method} ${path}`).toBe(404)
    }
    expect((await harness.request('/api/phone-numbers/not-a-uuid', { cookie: stranger.cookie })).status).toBe(404)
    const after = (await (
      await harness.request(`/api/phone-numbers/${created.id}`, { cookie: owner.cookie })
    ).json()) as {
      status: string
      version: number
    }
    expect(after).toMatchObject({ status: 'pending', version: created.version })
  })

  test('release deletes at Vapi and marks the number released', async () => {
    const created = (await (await create({ areaCode: '512' })).json()) as { id: string; vapiPhoneNumberId: string }
    const response = await harness.request(`/api/phone-numbers/${created.id}`, {
      method: 'DELETE',
      cookie: owner.cookie,
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ id: created.id, status: 'released', version: 2 })
    const holding = (await sandboxHoldings(harness)).find((entry) => entry.id === created.vapiPhoneNumberId)
    expect(holding?.releasedAt).toEqual(expect.any(String))
    const again = await harness.request(`/api/phone-numbers/${created.id}`, { method: 'DELETE', cookie: owner.cookie })
    expect(await again.json()).toMatchObject({ status: 'released', version: 2 })
    const history = await harness.db
      .selectFrom('phone_number_status_change')
      .select(['from_status', 'to_status', 'source'])
      .where('phone_number_id', '=', created.id)
      .orderBy('id')
      .execute()
    expect(history).toEqual([
      { from_status: null, to_status: 'pending', source: 'create' },
      { from_status: 'pending', to_status: 'released', source: 'release' },
    ])
  })

  test('the list is newest first, filters by status and pages with a cursor', async () => {
    const lister = await harness.signUp('Lister')
    const ids: string[] = []
    for (const areaCode of ['202', '206', '208']) {
      const body = (await (await create({ areaCode, name: `Line ${areaCode}` }, { cookie: lister.cookie })).json()) as {
        id: string
      }
      ids.push(body.id)
    }
    await harness.request(`/api/phone-numbers/${ids[0]}`, { method: 'DELETE', cookie: lister.cookie })
    const page1 = (await (await harness.request('/api/phone-numbers?limit=2', { cookie: lister.cookie })).json()) as {
      items: { id: string }[]
      nextCursor: string | null
    }
    expect(page1.items.map((item) => item.id)).toEqual([ids[2], ids[1]])
    expect(page1.nextCursor).toEqual(expect.any(String))
    const page2 = (await (
      await harness.request(`/api/phone-numbers?limit=2&cursor=${page1.nextCursor}`, { cookie: lister.cookie })
    ).json()) as { items: { id: string }[]; nextCursor: string | null }
    expect(page2).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null })
    const pending = (await (
      await harness.request('/api/phone-numbers?status=pending', { cookie: lister.cookie })
    ).json()) as {
      items: { id: string }[]
    }
    expect(pending.items.map((item) => item.id)).toEqual([ids[2], ids[1]])
    const search = (await (
      await harness.request('/api/phone-numbers?q=line%20206', { cookie: lister.cookie })
    ).json()) as {
      items: { id: string }[]
    }
    expect(search.items.map((item) => item.id)).toEqual([ids[1]])
    expect((await harness.request('/api/phone-numbers?status=bogus', { cookie: lister.cookie })).status).toBe(400)
    expect((await harness.request('/api/phone-numbers?cursor=garbage', { cookie: lister.cookie })).status).toBe(400)
  })
})

describe.each(testDatabaseKinds)('with a key Vapi refuses, on %s', (kind) => {
  test('the create answers 502 VAPI_UNAUTHORIZED and leaves no row', async () => {
    const harness = await startTestApp(kind)
    try {
      const owner = await harness.signUp('Keyless')
      // The organisation's stored key is one Vapi no longer accepts (revoked at Vapi after it was connected).
      await storeConnection(harness.db, {
        organizationId: owner.organizationId,
        provider: 'vapi',
        source: 'organization',
        secretCiphertext: harness.server.credentialBox.seal('invalid'),
        keyHint: 'alid',
        fingerprint: fingerprintSecret('invalid'),
        sandboxAccountId: null,
        connectedByUserId: null,
        now: new Date(),
      })
      const response = await harness.request('/api/phone-numbers', {
        method: 'POST',
        json: { areaCode: '415' },
        cookie: owner.cookie,
      })
      expect(response.status).toBe(502)
      const body = (await response.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('VAPI_UNAUTHORIZED')
      expect(body.error.message).toMatch(/Settings → Vapi/)
      expect(await countRows(harness, 'phone_number')).toBe(0)
      expect((await sandboxHoldings(harness)).length).toBe(0)
    } finally {
      await harness.close()
    }
  })
})
