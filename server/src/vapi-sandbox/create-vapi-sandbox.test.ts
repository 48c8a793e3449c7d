import { createHmac, timingSafeEqual } from 'node:crypto'
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest'
import { z } from 'zod'
import { createVapiSandbox } from './create-vapi-sandbox.ts'
import { startVapiSandbox, type RunningVapiSandbox } from './start-vapi-sandbox.ts'
import { startWebhookReceiver } from '../../test/support/start-webhook-receiver.ts'
import { sandboxPhoneNumberShape, vapiErrorShape } from './test-support/sandbox-client.ts'

const webhookSecret = 'sandbox-test-secret'
let sandbox: RunningVapiSandbox
let keyNumber = 0
/** Each test buys with its own key (its own org), so counts and lists never leak between tests. */
const freshKey = () => `test-key-${++keyNumber}-${Math.random().toString(36).slice(2)}`

beforeAll(async () => {
  sandbox = await startVapiSandbox({ port: 0, minDelayMs: 50, maxDelayMs: 200, webhookSecret, freeNumberLimit: 3 })
})
afterAll(() => sandbox.close())
afterEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })
})

const phoneNumberShape = sandboxPhoneNumberShape
const errorShape = vapiErrorShape

async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (options.key !== null) headers.authorization = `Bearer ${options.key ?? 'default-key'}`
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  const json: unknown = await response.json()
  return { status: response.status, headers: response.headers, json }
}
const api = (method: string, path: string, options?: { key?: string | null; body?: unknown }) =>
  call(sandbox.url, method, path, options)

async function create(key: string, areaCode: string, extra: Record<string, unknown> = {}) {
  const response = await api('POST', '/phone-number', {
    key,
    body: { provider: 'vapi', numberDesiredAreaCode: areaCode, ...extra },
  })
  expect(response.status).toBe(201)
  return phoneNumberShape.parse(response.json)
}

async function inventory() {
  const response = await fetch(`${sandbox.url}/_sandbox/phone-numbers`)
  return z.array(phoneNumberShape.extend({ releasedAt: z.string().nullable() })).parse(await response.json())
}

test('a create answers 201 at once without a number; the number arrives later in the requested area code', async () => {
  // Slower than the shared sandbox, so "immediately" stays before the assignment even on a busy machine.
  // 2 s: at a load average near 30 on 2 cores, requests a few lines apart were seen 400 ms apart.
  const local = await startVapiSandbox({ port: 0, minDelayMs: 2_000, maxDelayMs: 2_500, webhookSecret })
  try {
    const key = freshKey()
    const order = async (body: Record<string, unknown>) => {
      const response = await call(local.url, 'POST', '/phone-number', { key, body: { provider: 'vapi', ...body } })
      expect(response.status).toBe(201)
      return phoneNumberShape.parse(response.json)
    }
    const get = async (id: string) =>
      phoneNumberShape.parse((await call(local.url, 'GET', `/phone-number/${id}`, { key })).json)
    const first = await order({ numberDesiredAreaCode: '415', name: 'Front desk' })
    const second = await order({ numberDesiredAreaCode: '415' })
    expect(first).toMatchObject({ status: 'activating', numberDesiredAreaCode: '415', name: 'Front desk' })
    expect(first).not.toHaveProperty('number')
    expect(await get(first.id)).not.toHaveProperty('number')

    const [live, otherLive] = await vi.waitFor(
      async () => {
        const got = await Promise.all([get(first.id), get(second.id)])
        expect(got.every((phoneNumber) => phoneNumber.number !== undefined)).toBe(true)
        return got
      },
      { timeout: 15_000, interval: 25 },
    )
    expect(live?.status).toBe('active')
    expect(live?.number).toMatch(/^\+1415[2-9]\d{6}$/)
    expect(live?.number?.slice(5, 8)).not.toBe('555')
    expect(otherLive?.number).not.toBe(live?.number)
    expect(Date.parse(live?.updatedAt ?? '')).toBeGreaterThan(Date.parse(first.updatedAt))
    expect(live?.createdAt).toBe(first.createdAt)
  } finally {
    await local.close()
  }
})

test('numbers are unique across the whole sandbox, even when the random source repeats itself', async () => {
  // A random source stuck on the same values would produce the same number forever; the sandbox must notice.
  const sequence = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
  let index = 0
  const repeating = () => sequence[index++ % (sequence.length - 1)] ?? 0
  const local = await startVapiSandbox({ port: 0, minDelayMs: 0, maxDelayMs: 0, webhookSecret, random: repeating })
  try {
    const ids: string[] = []
    for (let i = 0; i < 12; i++) {
      const response = await call(local.url, 'POST', '/phone-number', {
        key: `key-${i % 3}`,
        body: { provider: 'vapi', numberDesiredAreaCode: '212' },
      })
      ids.push(phoneNumberShape.parse(response.json).id)
    }
    const numbers = await vi.waitFor(async () => {
      const held = z.array(phoneNumberShape).parse(await (await fetch(`${local.url}/_sandbox/phone-numbers`)).json())
      const assigned = held.map((phoneNumber) => phoneNumber.number).filter((number) => number !== undefined)
      expect(assigned).toHaveLength(ids.length)
      return assigned
    })
    expect(new Set(numbers).size).toBe(numbers.length)
  } finally {
    await local.close()
  }
})

test('533 is unavailable with a hint of three other real area codes, in Vapi’s words', async () => {
  const key = freshKey()
  const seen = new Set<string>()
  for (let attempt = 0; attempt < 5; attempt++) {
    const response = await api('POST', '/phone-number', {
      key,
      body: { provider: 'vapi', numberDesiredAreaCode: '533' },
    })
    expect(response.status).toBe(400)
    const body = errorShape.parse(response.json)
    expect(body).toMatchObject({ error: 'Bad Request', statusCode: 400 })
    expect(body.message).toMatch(/^This area code is currently not available\. Hint: Try one of \d{3}, \d{3}, \d{3}\.$/)
    const codes = String(body.message).match(/\b\d{3}\b/g) ?? []
    expect(new Set(codes).size).toBe(3)
    expect(codes).not.toContain('533')
    for (const code of codes) expect(code).toMatch(/^[2-9][0-8]\d$/)
    codes.forEach((code) => seen.add(code))
  }
  expect(seen.size).toBeGreaterThan(3)
  expect((await inventory()).filter((phoneNumber) => phoneNumber.numberDesiredAreaCode === '533')).toHaveLength(0)
})

test('an area code that does not exist in North America is unavailable too (the "Try 385, 405, 573." variant)', async () => {
  const response = await api('POST', '/phone-number', {
    key: freshKey(),
    body: { provider: 'vapi', numberDesiredAreaCode: '190' },
  })
  expect(response.status).toBe(400)
  expect(errorShape.parse(response.json).message).toMatch(/Hint: Try \d{3}, \d{3}, \d{3}\.$/)
})

test('534 stays activating forever and 535 ends blocked without a number', async () => {
  const key = freshKey()
  const never = await create(key, '534')
  const blocked = await create(key, '535')
  await vi.waitFor(
    async () => {
      const got = phoneNumberShape.parse((await api('GET', `/phone-number/${blocked.id}`, { key })).json)
      expect(got.status).toBe('blocked')
      expect(got).not.toHaveProperty('number')
    },
    { timeout: 3_000, interval: 25 },
  )
  // Well past maxDelayMs (200 ms): 534 would have been assigned by now if it were ordinary.
  await new Promise((resolve) => setTimeout(resolve, 400))
  const stillWaiting = phoneNumberShape.parse((await api('GET', `/phone-number/${never.id}`, { key })).json)
  expect(stillWaiting.status).toBe('activating')
  expect(stillWaiting).not.toHaveProperty('number')
})

test('536 answers 500 and buys nothing', async () => {
  const key = freshKey()
  const response = await api('POST', '/phone-number', { key, body: { provider: 'vapi', numberDesiredAreaCode: '536' } })
  expect(response.status).toBe(500)
  expect(response.json).toEqual({ statusCode: 500, message: 'Internal server error' })
  expect((await inventory()).filter((phoneNumber) => phoneNumber.numberDesiredAreaCode === '536')).toHaveLength(0)
})

test('537 is assigned within a second even when ordinary numbers take a minute', async () => {
  const slow = await startVapiSandbox({ port: 0, minDelayMs: 60_000, maxDelayMs: 60_000, webhookSecret })
  try {
    const ordinary = phoneNumberShape.parse(
      (await call(slow.url, 'POST', '/phone-number', { body: { provider: 'vapi', numberDesiredAreaCode: '415' } }))
        .json,
    )
    const quick = phoneNumberShape.parse(
      (await call(slow.url, 'POST', '/phone-number', { body: { provider: 'vapi', numberDesiredAreaCode: '537' } }))
        .json,
    )
    const assigned = await vi.waitFor(
      async () => {
        const got = phoneNumberShape.parse((await call(slow.url, 'GET', `/phone-number/${quick.id}`)).json)
        expect(got.number).toMatch(/^\+1537\d{7}$/)
        return got
      },
      { timeout: 3_000, interval: 20 },
    )
    // Measured by the sandbox's own timestamps, so a slow test machine cannot stretch it.
    expect(Date.parse(assigned.updatedAt) - Date.parse(assigned.createdAt)).toBeLessThan(1_000)
    const other = phoneNumberShape.parse((await call(slow.url, 'GET', `/phone-number/${ordinary.id}`)).json)
    expect(other.status).toBe('activating')
  } finally {
    await slow.close()
  }
})

test('the Bearer key is required; "invalid" gets Vapi’s hot tip; each key is its own organisation', async () => {
  const missing = await api('GET', '/phone-number', { key: null })
  expect(missing.status).toBe(401)
  expect(errorShape.parse(missing.json).statusCode).toBe(401)

  const invalid = await api('GET', '/phone-number', { key: 'invalid' })
  expect(invalid.status).toBe(401)
  expect(invalid.json).toEqual({
    message: 'Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.',
    error: 'Unauthorized',
    statusCode: 401,
  })

  const owner = freshKey()
  const stranger = freshKey()
  const bought = await create(owner, '303')
  expect((await api('GET', `/phone-number/${bought.id}`, { key: stranger })).status).toBe(404)
  expect((await api('DELETE', `/phone-number/${bought.id}`, { key: stranger })).status).toBe(404)
  expect((await api('GET', '/phone-number', { key: stranger })).json).toEqual([])
  const strangerNumber = await create(stranger, '303')
  expect(strangerNumber.orgId).not.toBe(bought.orgId)
  expect((await create(owner, '303')).orgId).toBe(bought.orgId)
})

test('bodies are validated like Vapi: unknown properties, wrong provider, missing area code, long names', async () => {
  const key = freshKey()
  const unknown = await api('POST', '/phone-number', {
    key,
    body: { provider: 'vapi', numberDesiredAreaCode: '415', foo: 1, server: { url: 'http://127.0.0.1:1', bar: 2 } },
  })
  expect(unknown.status).toBe(400)
  const unknownBody = errorShape.parse(unknown.json)
  expect(unknownBody).toMatchObject({ error: 'Bad Request', statusCode: 400 })
  expect([...unknownBody.message].sort()).toEqual([
    'property foo should not exist',
    'server.property bar should not exist',
  ])

  const provider = await api('POST', '/phone-number', { key, body: { provider: 'carrier-pigeon' } })
  expect(provider.status).toBe(400)
  expect(errorShape.parse(provider.json).message).toEqual([expect.stringContaining('provider must be one of')])

  const missingAreaCode = await api('POST', '/phone-number', { key, body: { provider: 'vapi' } })
  expect(missingAreaCode.status).toBe(400)
  expect(errorShape.parse(missingAreaCode.json).message).toEqual([expect.stringContaining('numberDesiredAreaCode')])

  const longName = await api('POST', '/phone-number', {
    key,
    body: { provider: 'vapi', numberDesiredAreaCode: '415', name: 'x'.repeat(41) },
  })
  expect(errorShape.parse(longName.json).message).toEqual(['name must be shorter than or equal to 40 characters'])

  const notJson = await fetch(`${sandbox.url}/phone-number`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: '{"provider":',
  })
  expect(notJson.status).toBe(400)

  const created = await create(key, '415')
  const patchUnknown = await api('PATCH', `/phone-number/${created.id}`, {
    key,
    body: { numberDesiredAreaCode: '212' },
  })
  expect(errorShape.parse(patchUnknown.json).message).toEqual(['property numberDesiredAreaCode should not exist'])
  expect((await api('GET', '/phone-number?foo=1', { key })).status).toBe(400)
  expect((await api('GET', '/phone-number?limit=1001', { key })).status).toBe(400)
  expect(
    (await inventory()).filter((phoneNumber) => phoneNumber.id !== created.id && phoneNumber.orgId === created.orgId),
  ).toEqual([])
})

test('unknown ids answer 404 in Vapi’s shape; ids that are not uuids answer 400', async () => {
  const key = freshKey()
  const unknown = await api('GET', '/phone-number/2f1c1b8e-4a4d-4f59-9d7e-000000000000', { key })
  expect(unknown.status).toBe(404)
  expect(errorShape.parse(unknown.json)).toMatchObject({ error: 'Not Found', statusCode: 404 })
  expect((await api('PATCH', '/phone-number/2f1c1b8e-4a4d-4f59-9d7e-000000000000', { key, body: {} })).status).toBe(404)
  expect((await api('GET', '/phone-number/not-a-uuid', { key })).status).toBe(400)
})

test('list, update and delete: newest first, filters, limit; a released number is gone and never assigned', async () => {
  const key = freshKey()
  const older = await create(key, '206')
  await new Promise((resolve) => setTimeout(resolve, 5))
  const newer = await create(key, '206')

  const all = z.array(phoneNumberShape).parse((await api('GET', '/phone-number', { key })).json)
  expect(all.map((phoneNumber) => phoneNumber.id)).toEqual([newer.id, older.id])
  const limited = z.array(phoneNumberShape).parse((await api('GET', '/phone-number?limit=1', { key })).json)
  expect(limited.map((phoneNumber) => phoneNumber.id)).toEqual([newer.id])
  const since = z
    .array(phoneNumberShape)
    .parse((await api('GET', `/phone-number?createdAtGt=${encodeURIComponent(older.createdAt)}`, { key })).json)
  expect(since.map((phoneNumber) => phoneNumber.id)).toEqual([newer.id])
  expect((await api('GET', '/phone-number?limit=0', { key })).json).toEqual([])

  const renamed = await api('PATCH', `/phone-number/${older.id}`, { key, body: { name: 'Renamed' } })
  expect(renamed.status).toBe(200)
  expect(renamed.json).toMatchObject({ id: older.id, name: 'Renamed', numberDesiredAreaCode: '206' })

  const deleted = await api('DELETE', `/phone-number/${newer.id}`, { key })
  expect(deleted.status).toBe(200)
  expect(phoneNumberShape.parse(deleted.json).id).toBe(newer.id)
  expect((await api('GET', `/phone-number/${newer.id}`, { key })).status).toBe(404)
  expect((await api('DELETE', `/phone-number/${newer.id}`, { key })).status).toBe(404)
  const held = await inventory()
  expect(held.find((phoneNumber) => phoneNumber.id === newer.id)?.releasedAt).toEqual(expect.any(String))
  expect(held.find((phoneNumber) => phoneNumber.id === older.id)?.releasedAt).toBeNull()
})

test('a number released while pending is never assigned afterwards', async () => {
  // Slow enough that the release surely comes before the assignment, even on a loaded machine.
  const local = await startVapiSandbox({ port: 0, minDelayMs: 1_500, maxDelayMs: 1_500, webhookSecret })
  try {
    const key = freshKey()
    const ordered = await call(local.url, 'POST', '/phone-number', {
      key,
      body: { provider: 'vapi', numberDesiredAreaCode: '206' },
    })
    const { id, createdAt } = phoneNumberShape.parse(ordered.json)
    const deleted = phoneNumberShape.parse((await call(local.url, 'DELETE', `/phone-number/${id}`, { key })).json)
    expect(deleted).not.toHaveProperty('number')
    // Wait until well past the moment it would have been assigned, by the sandbox's own clock.
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(Date.parse(createdAt) + 2_000), {
      timeout: 10_000,
      interval: 100,
    })
    const held = z
      .array(phoneNumberShape.extend({ releasedAt: z.string().nullable() }))
      .parse(await (await fetch(`${local.url}/_sandbox/phone-numbers`)).json())
    expect(held.find((phoneNumber) => phoneNumber.id === id)).not.toHaveProperty('number')
  } finally {
    await local.close()
  }
})

test('a key may hold freeNumberLimit numbers; beyond it Vapi-style 400, and releasing one makes room', async () => {
  const key = freshKey()
  const bought = [await create(key, '512'), await create(key, '512'), await create(key, '512')]
  const refused = await api('POST', '/phone-number', { key, body: { provider: 'vapi', numberDesiredAreaCode: '512' } })
  expect(refused.status).toBe(400)
  expect(errorShape.parse(refused.json).message).toMatch(/free number limit/i)
  // Another organisation has its own allowance.
  await create(freshKey(), '512')
  await api('DELETE', `/phone-number/${bought[0]?.id}`, { key })
  await create(key, '512')
})

test('faults: errors, rate limits and latency on API calls only; invalid faults are refused; DELETE resets', async () => {
  const key = freshKey()
  const setFaults = async (faults: unknown) =>
    fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    })

  expect((await setFaults({ errorRate: 1 })).status).toBe(200)
  expect((await api('GET', '/phone-number', { key })).status).toBe(500)
  expect((await fetch(`${sandbox.url}/_sandbox/phone-numbers`)).status).toBe(200)

  const merged = await setFaults({ errorRate: 0, rateLimitRate: 1 })
  expect(await merged.json()).toMatchObject({ errorRate: 0, rateLimitRate: 1 })
  const limited = await api('GET', '/phone-number', { key })
  expect(limited.status).toBe(429)
  expect(limited.headers.get('retry-after')).toBe('1')

  await setFaults({ rateLimitRate: 0, latencyMs: 300 })
  const startedAt = performance.now()
  expect((await api('GET', '/phone-number', { key })).status).toBe(200)
  expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290)

  expect((await setFaults({ errorRate: 2 })).status).toBe(400)
  expect((await setFaults({ typo: 1 })).status).toBe(400)
  const reset = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })
  expect(await reset.json()).toEqual({
    latencyMs: 0,
    errorRate: 0,
    rateLimitRate: 0,
    webhookDropRate: 0,
    webhookDuplicateRate: 0,
    lostCreateAnswerRate: 0,
    webhookDelayMs: 0,
    listMasksNumbers: false,
    importRefusalRate: 0,
  })
})

test('the request log counts API calls by method and route', async () => {
  const local = await startVapiSandbox({ port: 0, minDelayMs: 50, maxDelayMs: 50, webhookSecret })
  try {
    const created = phoneNumberShape.parse(
      (await call(local.url, 'POST', '/phone-number', { body: { provider: 'vapi', numberDesiredAreaCode: '720' } }))
        .json,
    )
    await call(local.url, 'GET', `/phone-number/${created.id}`)
    await call(local.url, 'GET', `/phone-number/${created.id}`, { key: 'invalid' })
    await call(local.url, 'GET', '/phone-number')
    const log = z
      .object({
        total: z.number(),
        counts: z.record(z.string(), z.number()),
        requests: z.array(z.looseObject({ status: z.number() })),
      })
      .parse(await (await fetch(`${local.url}/_sandbox/requests`)).json())
    expect(log.counts).toEqual({ 'POST /phone-number': 1, 'GET /phone-number/:id': 2, 'GET /phone-number': 1 })
    expect(log.requests.map((request) => request.status)).toEqual([201, 200, 401, 200])
  } finally {
    await local.close()
  }
})

test('a signed webhook reaches the number’s server: HMAC over the raw body, message id, custom headers', async () => {
  const receiver = await startWebhookReceiver()
  try {
    const key = freshKey()
    const created = await create(key, '617', {
      server: { url: receiver.url, headers: { 'x-tenant': 'acme' } },
    })
    const delivery = await vi.waitFor(
      () => {
        expect(receiver.received).toHaveLength(1)
        return receiver.received[0]
      },
      { timeout: 3_000, interval: 20 },
    )
    const timestamp = String(delivery?.headers['x-timestamp'])
    const signature = String(delivery?.headers['x-signature'])
    const expected = createHmac('sha256', webhookSecret)
      .update(`${timestamp}.${delivery?.rawBody ?? ''}`)
      .digest()
    expect(timingSafeEqual(Buffer.from(signature, 'hex'), expected)).toBe(true)
    expect(Math.abs(Date.now() - Number(timestamp))).toBeLessThan(60_000)
    expect(delivery?.headers['x-message-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(delivery?.headers['x-tenant']).toBe('acme')
    expect(delivery?.headers['content-type']).toBe('application/json')

    const envelope = z
      .object({
        message: z.object({
          type: z.literal('phone-number-status-update'),
          timestamp: z.number(),
          phoneNumber: phoneNumberShape,
        }),
      })
      .parse(JSON.parse(delivery?.rawBody ?? ''))
    const current = phoneNumberShape.parse((await api('GET', `/phone-number/${created.id}`, { key })).json)
    expect(envelope.message.phoneNumber).toEqual(current)
    expect(envelope.message.phoneNumber.number).toMatch(/^\+1617\d{7}$/)

    // A signature made with any other secret does not match.
    const forged = createHmac('sha256', 'another-secret')
      .update(`${timestamp}.${delivery?.rawBody ?? ''}`)
      .digest()
    expect(timingSafeEqual(Buffer.from(signature, 'hex'), forged)).toBe(false)
  } finally {
    await receiver.close()
  }
})

test('the blocked outcome is announced by webhook too', async () => {
  const receiver = await startWebhookReceiver()
  try {
    await create(freshKey(), '535', { server: { url: receiver.url } })
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 3_000, interval: 20 })
    const body = z
      .object({ message: z.object({ phoneNumber: phoneNumberShape }) })
      .parse(JSON.parse(receiver.received[0]?.rawBody ?? ''))
    expect(body.message.phoneNumber.status).toBe('blocked')
  } finally {
    await receiver.close()
  }
})

test('webhookAuth "secret" and "bearer" send X-Vapi-Secret and Authorization instead of a signature', async () => {
  const receiver = await startWebhookReceiver()
  const secretMode = await startVapiSandbox({
    port: 0,
    minDelayMs: 0,
    maxDelayMs: 20,
    webhookSecret,
    webhookAuth: 'secret',
  })
  const bearerMode = await startVapiSandbox({
    port: 0,
    minDelayMs: 0,
    maxDelayMs: 20,
    webhookSecret,
    webhookAuth: 'bearer',
  })
  try {
    for (const local of [secretMode, bearerMode]) {
      await call(local.url, 'POST', '/phone-number', {
        body: { provider: 'vapi', numberDesiredAreaCode: '305', server: { url: receiver.url } },
      })
    }
    await vi.waitFor(() => expect(receiver.received).toHaveLength(2), { timeout: 3_000, interval: 20 })
    const bySecret = receiver.received.find((delivery) => delivery.headers['x-vapi-secret'] !== undefined)
    const byBearer = receiver.received.find((delivery) => delivery.headers.authorization !== undefined)
    expect(bySecret?.headers['x-vapi-secret']).toBe(webhookSecret)
    expect(bySecret?.headers['x-signature']).toBeUndefined()
    expect(byBearer?.headers.authorization).toBe(`Bearer ${webhookSecret}`)
  } finally {
    await Promise.all([secretMode.close(), bearerMode.close(), receiver.close()])
  }
})

test('webhook faults: duplicates keep the same x-message-id and body; drops send nothing; delay holds it back', async () => {
  const receiver = await startWebhookReceiver()
  const setFaults = (faults: unknown) =>
    fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    })
  try {
    await setFaults({ webhookDuplicateRate: 1 })
    await create(freshKey(), '404', { server: { url: receiver.url } })
    await vi.waitFor(() => expect(receiver.received).toHaveLength(2), { timeout: 3_000, interval: 20 })
    const [first, second] = receiver.received
    expect(first?.headers['x-message-id']).toBe(second?.headers['x-message-id'])
    expect(first?.rawBody).toBe(second?.rawBody)

    await setFaults({ webhookDuplicateRate: 0, webhookDropRate: 1 })
    const dropped = await create(freshKey(), '404', { server: { url: receiver.url } })
    const log = z.array(z.looseObject({ phoneNumberId: z.string(), outcome: z.string() }))
    await vi.waitFor(
      async () => {
        const entries = log.parse(await (await fetch(`${sandbox.url}/_sandbox/webhooks`)).json())
        expect(entries.find((entry) => entry.phoneNumberId === dropped.id)?.outcome).toBe('dropped')
      },
      { timeout: 3_000, interval: 20 },
    )
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(receiver.received).toHaveLength(2)

    await setFaults({ webhookDropRate: 0, webhookDelayMs: 500 })
    const orderedAt = Date.now()
    await create(freshKey(), '404', { server: { url: receiver.url } })
    await vi.waitFor(() => expect(receiver.received).toHaveLength(3), { timeout: 3_000, interval: 20 })
    expect((receiver.received[2]?.receivedAt ?? 0) - orderedAt).toBeGreaterThanOrEqual(500)
  } finally {
    await receiver.close()
  }
})

test('close() cancels pending assignments', async () => {
  const local = createVapiSandbox({ minDelayMs: 100, maxDelayMs: 100, webhookSecret })
  const response = await local.app.request('/phone-number', {
    method: 'POST',
    headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'vapi', numberDesiredAreaCode: '415' }),
  })
  expect(response.status).toBe(201)
  local.close()
  await new Promise((resolve) => setTimeout(resolve, 250))
  const held = z.array(phoneNumberShape).parse(await (await local.app.request('/_sandbox/phone-numbers')).json())
  expect(held[0]?.status).toBe('activating')
})
