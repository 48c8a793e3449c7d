import { createHash } from 'node:crypto'
import { apiKeyListSchema, apiKeySchema, apiKeyWithSecretSchema } from '@dialtone/shared/api-keys'
import { errorBodySchema } from '@dialtone/shared/errors'
import { phoneNumberListSchema, phoneNumberSchema } from '@dialtone/shared/phone-number'
import { webhookEndpointListSchema, webhookEndpointWithSecretSchema } from '@dialtone/shared/webhook-endpoints'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { organizationRoom } from '../../src/realtime/socket-server.ts'
import { testDatabaseKinds } from '../support/test-databases.ts'
import {
  roomyCreateRateLimits,
  startSecurityHarness,
  type HarnessSocket,
  type SecurityHarness,
} from './security-harness.ts'

/** Low enough to reach in a test, high enough that the other tests' keys never meet it. */
const requestsPerMinute = 25

type Owner = Awaited<ReturnType<SecurityHarness['signUp']>>

function waitFor<T>(what: string, promise: (resolve: (value: T) => void) => void, timeoutMs = 5_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: nothing within ${timeoutMs} ms`)), timeoutMs)
    promise((value) => {
      clearTimeout(timer)
      resolve(value)
    })
  })
}

describe.each(testDatabaseKinds)('API keys on %s', (kind) => {
  let harness: SecurityHarness
  let alice: Owner
  let bob: Owner

  beforeAll(async () => {
    harness = await startSecurityHarness(kind, {
      env: { API_KEY_REQUESTS_PER_MINUTE: String(requestsPerMinute), WEBHOOK_ALLOW_PRIVATE_URLS: 'true' },
      createRateLimits: roomyCreateRateLimits(50),
    })
    alice = await harness.signUp('Alice')
    bob = await harness.signUp('Bob')
  })
  afterAll(async () => {
    await harness.close()
  })

  const makeKey = async (owner: Owner, scopes: string[], extra: Record<string, unknown> = {}) => {
    const response = await harness.request('/api/api-keys', {
      method: 'POST',
      cookie: owner.cookie,
      json: { name: `key ${scopes.join(' ')}`, scopes, ...extra },
    })
    expect(response.status, await response.clone().text()).toBe(201)
    return apiKeyWithSecretSchema.parse(await response.json())
  }

  /** A program: no Origin, no cookie, just its key. */
  const asProgram = (key: string, path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers)
    headers.set('authorization', `Bearer ${key}`)
    if (init.json !== undefined) headers.set('content-type', 'application/json')
    return fetch(`${harness.baseUrl}${path}`, {
      ...init,
      headers,
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    })
  }

  const errorOf = async (response: Response) => errorBodySchema.parse(await response.json()).error

  const numbersOf = async (organizationId: string) =>
    Number(
      (
        await harness.db
          .selectFrom('phone_number')
          .select((eb) => eb.fn.countAll().as('count'))
          .where('organization_id', '=', organizationId)
          .executeTakeFirstOrThrow()
      ).count,
    )

  test('the key is in the creation answer only, stored as its SHA-256, and listed by prefix and last four', async () => {
    const created = await makeKey(alice, ['numbers:read'])
    expect(created.key).toMatch(/^dt_test_[A-Za-z0-9_-]{43}$/)
    expect(created.prefix).toBe(created.key.slice(0, 12))
    expect(created.lastFour).toBe(created.key.slice(-4))
    const row = await harness.db
      .selectFrom('api_key')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow()
    expect(row.key_hash).toBe(createHash('sha256').update(created.key).digest('hex'))
    expect(JSON.stringify(row)).not.toContain(created.key.slice(12, -4))

    const listed = await harness.request('/api/api-keys', { cookie: alice.cookie })
    const text = await listed.text()
    expect(text).not.toContain(created.key)
    const item = apiKeyListSchema.parse(JSON.parse(text)).items.find((key) => key.id === created.id)
    expect(item).toMatchObject({ name: created.name, scopes: ['numbers:read'], isRevoked: false, lastUsedAt: null })
    expect(item?.createdBy.email).toBe(alice.email)
    expect(item).not.toHaveProperty('key')
    expect(harness.auditEvents.find((event) => event.target.id === created.id)).toMatchObject({
      action: 'api-key.create',
      organizationId: alice.organizationId,
      actor: { type: 'user', label: alice.email },
      target: { type: 'api-key', label: created.name },
    })
  })

  test('a read-only key lists numbers and is refused a purchase with 403 naming the scope; nothing is bought', async () => {
    const { key } = await makeKey(alice, ['numbers:read'])
    const list = await asProgram(key, '/api/phone-numbers')
    expect(list.status).toBe(200)
    phoneNumberListSchema.parse(await list.json())
    expect((await asProgram(key, '/api/area-codes?q=415')).status).toBe(200)

    const before = await numbersOf(alice.organizationId)
    const refused = await asProgram(key, '/api/phone-numbers', { method: 'POST', json: { areaCode: '415' } })
    expect(refused.status).toBe(403)
    expect(await errorOf(refused)).toMatchObject({ code: 'FORBIDDEN', details: { required: 'numbers:write' } })
    expect(await numbersOf(alice.organizationId)).toBe(before)
  })

  test('a key with numbers:write buys and releases a number; the purchase names its creator', async () => {
    const { key } = await makeKey(alice, ['numbers:read', 'numbers:write'])
    const bought = await asProgram(key, '/api/phone-numbers', { method: 'POST', json: { areaCode: '415' } })
    expect(bought.status, await bought.clone().text()).toBe(201)
    const number = phoneNumberSchema.parse(await bought.json())
    const row = await harness.db
      .selectFrom('phone_number')
      .select('organization_id')
      .where('id', '=', number.id)
      .executeTakeFirstOrThrow()
    expect(row.organization_id).toBe(alice.organizationId)
    const attempt = await harness.db
      .selectFrom('provisioning_attempt')
      .innerJoin('user', 'user.id', 'provisioning_attempt.requested_by_user_id')
      .select('user.email')
      .where('provisioning_attempt.organization_id', '=', alice.organizationId)
      .orderBy('provisioning_attempt.requested_at', 'desc')
      .executeTakeFirstOrThrow()
    expect(attempt.email).toBe(alice.email)
    const released = await asProgram(key, `/api/phone-numbers/${number.id}`, { method: 'DELETE' })
    expect(released.status).toBe(200)
    expect(phoneNumberSchema.parse(await released.json()).status).toBe('released')
  })

  test('bearer requests skip the same-origin guard; cookie requests from another site are still refused', async () => {
    const { key } = await makeKey(alice, ['numbers:read', 'numbers:write'])
    const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }
    const withKey = await asProgram(key, '/api/phone-numbers/refresh', { method: 'POST', headers: crossSite })
    expect(withKey.status).toBe(200)
    const withCookie = await fetch(`${harness.baseUrl}/api/phone-numbers/refresh`, {
      method: 'POST',
      headers: { ...crossSite, cookie: alice.cookie },
    })
    expect(withCookie.status).toBe(403)
    expect((await errorOf(withCookie)).code).toBe('FORBIDDEN')
  })

  test('a request with both a key and a cookie is the key’s alone: the cookie is neither used nor a fallback', async () => {
    const { key } = await makeKey(alice, ['numbers:read'])
    await harness.request('/api/phone-numbers', { method: 'POST', cookie: bob.cookie, json: { areaCode: '212' } })
    const both = await asProgram(key, '/api/phone-numbers', { headers: { cookie: bob.cookie } })
    const items = phoneNumberListSchema.parse(await both.json()).items
    expect(items.every((item) => item.areaCode !== '212')).toBe(true)

    const badKeyGoodCookie = await asProgram('dt_test_not-a-key', '/api/phone-numbers', {
      headers: { cookie: bob.cookie },
    })
    expect(badKeyGoodCookie.status).toBe(401)
    expect(await errorOf(badKeyGoodCookie)).toMatchObject({ code: 'API_KEY_INVALID', details: { reason: 'unknown' } })
  })

  test('a revoked key is refused on its very next request, and its socket is ended', async () => {
    const created = await makeKey(alice, ['numbers:read'])
    expect((await asProgram(created.key, '/api/phone-numbers')).status).toBe(200)
    const socket = await harness.connectWithKey(created.key)
    const ended = waitFor<string>('disconnect', (resolve) => socket.once('disconnect', resolve), 3_000)

    const revoked = await harness.request(`/api/api-keys/${created.id}`, { method: 'DELETE', cookie: alice.cookie })
    expect(revoked.status).toBe(200)
    expect(apiKeySchema.parse(await revoked.json()).isRevoked).toBe(true)
    expect(harness.auditEvents.filter((event) => event.target.id === created.id).map((event) => event.action)).toEqual([
      'api-key.create',
      'api-key.revoke',
    ])
    await ended

    const refused = await asProgram(created.key, '/api/phone-numbers')
    expect(refused.status).toBe(401)
    expect(await errorOf(refused)).toMatchObject({ code: 'API_KEY_INVALID', details: { reason: 'revoked' } })
    await expect(harness.connectWithKey(created.key)).rejects.toThrow('unauthorized')
  })

  test('an expired key is refused at once; an expiry in the past is refused at creation', async () => {
    const past = await harness.request('/api/api-keys', {
      method: 'POST',
      cookie: alice.cookie,
      json: { name: 'old', scopes: ['numbers:read'], expiresAt: '2020-01-01T00:00:00Z' },
    })
    expect(past.status).toBe(400)

    const created = await makeKey(alice, ['numbers:read'], {
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    })
    expect((await asProgram(created.key, '/api/phone-numbers')).status).toBe(200)
    await harness.db
      .updateTable('api_key')
      .set({ expires_at: new Date(Date.now() - 1_000) })
      .where('id', '=', created.id)
      .execute()
    const refused = await asProgram(created.key, '/api/phone-numbers')
    expect(refused.status).toBe(401)
    expect(await errorOf(refused)).toMatchObject({ code: 'API_KEY_INVALID', details: { reason: 'expired' } })
  })

  test('a key of organisation A never reaches B’s numbers, webhook endpoints or socket room', async () => {
    const { key } = await makeKey(alice, ['numbers:read', 'numbers:write', 'settings:write'])
    const bobsNumber = phoneNumberSchema.parse(
      await (
        await harness.request('/api/phone-numbers', { method: 'POST', cookie: bob.cookie, json: { areaCode: '617' } })
      ).json(),
    )
    const bobsEndpoint = webhookEndpointWithSecretSchema.parse(
      await (
        await harness.request('/api/webhook-endpoints', {
          method: 'POST',
          cookie: bob.cookie,
          json: { url: 'http://127.0.0.1:9/hook' },
        })
      ).json(),
    )

    expect((await asProgram(key, `/api/phone-numbers/${bobsNumber.id}`)).status).toBe(404)
    expect((await asProgram(key, `/api/phone-numbers/${bobsNumber.id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await asProgram(key, `/api/phone-numbers/${bobsNumber.id}/refresh`, { method: 'POST' })).status).toBe(404)
    const listed = phoneNumberListSchema.parse(await (await asProgram(key, '/api/phone-numbers')).json()).items
    expect(listed.map((item) => item.id)).not.toContain(bobsNumber.id)

    const endpoints = webhookEndpointListSchema.parse(await (await asProgram(key, '/api/webhook-endpoints')).json())
    expect(endpoints.items.map((item) => item.id)).not.toContain(bobsEndpoint.id)
    expect((await asProgram(key, `/api/webhook-endpoints/${bobsEndpoint.id}`, { method: 'DELETE' })).status).toBe(404)
    expect(
      (await asProgram(key, `/api/webhook-endpoints/${bobsEndpoint.id}/rotate-secret`, { method: 'POST' })).status,
    ).toBe(404)

    const socket: HarnessSocket = await harness.connectWithKey(key, 'header')
    const seen: string[] = []
    socket.on('phone-number:updated', (number) => seen.push(number.id))
    const aliceNumber = { ...bobsNumber, id: '00000000-0000-4000-8000-00000000a11c' }
    harness.realtime.io.to(organizationRoom(bob.organizationId)).emit('phone-number:updated', bobsNumber)
    harness.realtime.io.to(organizationRoom(alice.organizationId)).emit('phone-number:updated', aliceNumber)
    await waitFor('alice’s event', (resolve) => {
      const check = () => (seen.includes(aliceNumber.id) ? resolve(true) : setTimeout(check, 20))
      check()
    })
    expect(seen).toEqual([aliceNumber.id])
    const rooms = [...(harness.realtime.io.of('/').sockets.get(String(socket.id))?.rooms ?? [])]
    expect(rooms).toContain(organizationRoom(alice.organizationId))
    expect(rooms).not.toContain(organizationRoom(bob.organizationId))
  })

  test('keys reach only the program routes: not key management, the organisation or preferences', async () => {
    const { key } = await makeKey(alice, ['numbers:read', 'numbers:write', 'settings:write'])
    for (const [method, path] of [
      ['GET', '/api/api-keys'],
      ['POST', '/api/api-keys'],
      ['DELETE', '/api/organization'],
      ['GET', '/api/notification-preferences'],
      ['GET', '/api/admin/provisioning-stats'],
    ] as const) {
      const response = await asProgram(key, path, { method, ...(method === 'POST' ? { json: {} } : {}) })
      expect(response.status, `${method} ${path}`).toBe(403)
      expect(await errorOf(response)).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'not-for-api-keys' } })
    }
    const readOnly = await makeKey(alice, ['numbers:read'])
    const hooks = await asProgram(readOnly.key, '/api/webhook-endpoints')
    expect(hooks.status).toBe(403)
    expect(await errorOf(hooks)).toMatchObject({ details: { required: 'settings:write' } })
  })

  test('scopes never exceed the creator’s role, at creation and later', async () => {
    const writer = await makeKey(alice, ['numbers:read', 'numbers:write'])
    const demote = (role: string) =>
      harness.db
        .updateTable('member')
        .set({ role })
        .where('organizationId', '=', alice.organizationId)
        .where('role', '!=', 'x')
        .execute()
    try {
      await demote('admin')
      const tooMuch = await harness.request('/api/api-keys', {
        method: 'POST',
        cookie: alice.cookie,
        json: { name: 'settings', scopes: ['settings:write'] },
      })
      expect(tooMuch.status).toBe(403)
      expect(await errorOf(tooMuch)).toMatchObject({ details: { scopes: ['settings:write'] } })

      await demote('member')
      expect((await harness.request('/api/api-keys', { cookie: alice.cookie })).status).toBe(403)
      const buy = await asProgram(writer.key, '/api/phone-numbers', { method: 'POST', json: { areaCode: '415' } })
      expect(buy.status).toBe(403)
      expect((await asProgram(writer.key, '/api/phone-numbers')).status).toBe(200)
    } finally {
      await demote('owner')
    }
  })

  test('last used is recorded, and written at most once a minute', async () => {
    const created = await makeKey(alice, ['numbers:read'])
    expect((await asProgram(created.key, '/api/phone-numbers')).status).toBe(200)
    const first = await harness.db
      .selectFrom('api_key')
      .select('last_used_at')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow()
    expect(first.last_used_at).not.toBeNull()
    expect((await asProgram(created.key, '/api/phone-numbers')).status).toBe(200)
    const second = await harness.db
      .selectFrom('api_key')
      .select('last_used_at')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow()
    expect(second.last_used_at).toEqual(first.last_used_at)
  })

  test('each key has its own rate limit, answered 429 with Retry-After', async () => {
    const busy = await makeKey(alice, ['numbers:read'])
    const other = await makeKey(alice, ['numbers:read'])
    const statuses: number[] = []
    let limited: Response | null = null
    for (let i = 0; i <= requestsPerMinute; i += 1) {
      const response = await asProgram(busy.key, '/api/phone-numbers')
      statuses.push(response.status)
      if (response.status === 429) limited = response
      else await response.arrayBuffer()
    }
    expect(statuses.slice(0, requestsPerMinute).every((status) => status === 200)).toBe(true)
    expect(limited?.status).toBe(429)
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0)
    if (limited) expect((await errorOf(limited)).code).toBe('RATE_LIMITED')
    expect((await asProgram(other.key, '/api/phone-numbers')).status).toBe(200)
  })
})
