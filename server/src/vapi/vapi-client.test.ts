import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import pino from 'pino'
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest'
import { z } from 'zod'
import { startVapiSandbox, type RunningVapiSandbox } from '../vapi-sandbox/start-vapi-sandbox.ts'
import { createVapiClient, type VapiClientOptions } from './vapi-client.ts'
import {
  VapiAreaCodeUnavailableError,
  type VapiError,
  VapiInvalidResponseError,
  VapiNotFoundError,
  VapiRateLimitedError,
  VapiRejectedError,
  VapiUnauthorizedError,
  VapiUnavailableError,
} from './vapi-errors.ts'

let sandbox: RunningVapiSandbox
let keyNumber = 0
const freshKey = () => `client-test-key-${++keyNumber}-${Math.random().toString(36).slice(2)}`

beforeAll(async () => {
  sandbox = await startVapiSandbox({
    port: 0,
    minDelayMs: 50,
    maxDelayMs: 200,
    webhookSecret: 'client-test-secret',
    freeNumberLimit: 2,
  })
})
afterAll(() => sandbox.close())
afterEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })
})

function client(options: Partial<VapiClientOptions> = {}) {
  return createVapiClient({
    baseUrl: sandbox.url,
    apiKey: freshKey(),
    maxRequestsPerSecond: 1_000,
    retryBaseDelayMs: 10,
    ...options,
  })
}

async function setFaults(faults: Record<string, number>) {
  const response = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  })
  expect(response.status).toBe(200)
}

const requestLogSchema = z.object({
  requests: z.array(z.object({ method: z.string(), path: z.string(), status: z.number().nullable(), at: z.string() })),
})
async function requestsTo(method: string, path: string) {
  const log = requestLogSchema.parse(await (await fetch(`${sandbox.url}/_sandbox/requests`)).json())
  return log.requests.filter((request) => request.method === method && request.path === path)
}

async function expectRejection<T extends VapiError>(promise: Promise<unknown>, type: new (...args: never[]) => T) {
  const error: unknown = await promise.then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(type)
  if (!(error instanceof type)) throw new Error('unreachable')
  return error
}

/** A tiny HTTP server that answers whatever the test says, for bodies the sandbox would never send. */
async function startScriptedServer(answer: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = createServer(answer)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

test('create, get, list, update and delete a number; the number arrives after the create', async () => {
  const vapi = client()
  const created = await vapi.createPhoneNumber({ numberDesiredAreaCode: '415', name: 'Support line' })
  expect(created).toMatchObject({
    provider: 'vapi',
    status: 'activating',
    numberDesiredAreaCode: '415',
    name: 'Support line',
  })
  expect(created.number).toBeUndefined()

  const live = await vi.waitFor(
    async () => {
      const got = await vapi.getPhoneNumber(created.id)
      expect(got.number).toMatch(/^\+1415\d{7}$/)
      return got
    },
    { timeout: 3_000, interval: 25 },
  )
  expect(live).toMatchObject({ id: created.id, status: 'active', orgId: created.orgId })

  const listed = await vapi.listPhoneNumbers()
  expect(listed.map((phoneNumber) => phoneNumber.id)).toEqual([created.id])
  expect(await vapi.listPhoneNumbers({ createdAtGt: created.createdAt })).toEqual([])
  expect(await vapi.listPhoneNumbers({ limit: 0 })).toEqual([])

  const updated = await vapi.updatePhoneNumber(created.id, { name: 'Sales line' })
  expect(updated).toMatchObject({ id: created.id, name: 'Sales line', number: live.number })

  const deleted = await vapi.deletePhoneNumber(created.id)
  expect(deleted.id).toBe(created.id)
  await expectRejection(vapi.getPhoneNumber(created.id), VapiNotFoundError)
  expect(await vapi.listPhoneNumbers()).toEqual([])
})

test('the create body holds only Vapi’s fields, even when the caller’s objects carry more', async () => {
  const vapi = client()
  // Extra properties reach the client at run time through structural typing; Vapi would answer 400 to them.
  const server = { url: 'http://127.0.0.1:1/webhooks/vapi', headers: { 'x-tenant': 'acme' }, secretToken: 'x' }
  const input = { numberDesiredAreaCode: '303', assistantId: 'assistant-1', server, organizationId: 'ours' }
  const created = await vapi.createPhoneNumber(input)
  expect(created.server).toEqual({ url: server.url, headers: { 'x-tenant': 'acme' } })
  expect(created.assistantId).toBe('assistant-1')
})

test('an unavailable area code becomes VapiAreaCodeUnavailableError with Vapi’s hint codes', async () => {
  const error = await expectRejection(
    client().createPhoneNumber({ numberDesiredAreaCode: '533' }),
    VapiAreaCodeUnavailableError,
  )
  expect(error.kind).toBe('area_code_unavailable')
  expect(error.httpStatus).toBe(400)
  expect(error.vapiMessage).toMatch(/^This area code is currently not available\. Hint: Try one of/)
  expect(error.hintAreaCodes).toHaveLength(3)
  expect(error.hintAreaCodes).not.toContain('533')
  expect(error.vapiMessage).toContain(error.hintAreaCodes.join(', '))
})

test('the key "invalid" becomes VapiUnauthorizedError, and other refusals keep Vapi’s message', async () => {
  const unauthorized = await expectRejection(
    client({ apiKey: 'invalid' }).getPhoneNumber('2f1c1b8e-4a4d-4f59-9d7e-000000000000'),
    VapiUnauthorizedError,
  )
  expect(unauthorized.httpStatus).toBe(401)
  expect(unauthorized.vapiMessage).toMatch(/^Invalid Key\. Hot tip/)

  const vapi = client()
  await vapi.createPhoneNumber({ numberDesiredAreaCode: '212' })
  await vapi.createPhoneNumber({ numberDesiredAreaCode: '212' })
  const overLimit = await expectRejection(vapi.createPhoneNumber({ numberDesiredAreaCode: '212' }), VapiRejectedError)
  expect(overLimit.kind).toBe('rejected')
  expect(overLimit.httpStatus).toBe(400)
  expect(overLimit.vapiMessage).toMatch(/free number limit/)
  expect(overLimit.message).toBe(overLimit.vapiMessage)

  const tooLong = await expectRejection(
    vapi.updatePhoneNumber((await vapi.listPhoneNumbers())[0]?.id ?? '', { name: 'x'.repeat(41) }),
    VapiRejectedError,
  )
  expect(tooLong.vapiMessage).toBe('name must be shorter than or equal to 40 characters')
})

test('a 500 on create is VapiUnavailableError and the create is sent exactly once', async () => {
  const apiKey = freshKey()
  const before = (await requestsTo('POST', '/phone-number')).length
  const error = await expectRejection(
    client({ apiKey, maxRetries: 5 }).createPhoneNumber({ numberDesiredAreaCode: '536' }),
    VapiUnavailableError,
  )
  expect(error.httpStatus).toBe(500)
  const after = await requestsTo('POST', '/phone-number')
  expect(after.length - before).toBe(1)
  expect(after.at(-1)?.status).toBe(500)
})

test('a create is not retried on injected 500s or 429s either', async () => {
  await setFaults({ errorRate: 1 })
  const before = (await requestsTo('POST', '/phone-number')).length
  await expectRejection(
    client({ maxRetries: 5 }).createPhoneNumber({ numberDesiredAreaCode: '415' }),
    VapiUnavailableError,
  )
  await setFaults({ errorRate: 0, rateLimitRate: 1 })
  await expectRejection(
    client({ maxRetries: 5 }).createPhoneNumber({ numberDesiredAreaCode: '415' }),
    VapiRateLimitedError,
  )
  expect((await requestsTo('POST', '/phone-number')).length - before).toBe(2)
})

test('a GET is retried through injected 500s and succeeds once Vapi recovers', async () => {
  const vapi = client({ retryBaseDelayMs: 300, random: () => 1 })
  const created = await vapi.createPhoneNumber({ numberDesiredAreaCode: '206' })
  const path = `/phone-number/${created.id}`
  await setFaults({ errorRate: 1 })
  const pending = vapi.getPhoneNumber(created.id)
  // Recover only after Vapi has failed at least once; the retries (300, 600, 1200 ms) carry the call through.
  await vi.waitFor(
    async () => expect((await requestsTo('GET', path)).some((request) => request.status === 500)).toBe(true),
    {
      timeout: 2_000,
      interval: 10,
    },
  )
  await setFaults({ errorRate: 0 })
  const got = await pending
  expect(got.id).toBe(created.id)
  const statuses = (await requestsTo('GET', path)).map((request) => request.status)
  expect(statuses.at(-1)).toBe(200)
  expect(statuses.filter((status) => status === 500).length).toBeGreaterThanOrEqual(1)
})

test('a GET gives up after maxRetries and reports the last failure', async () => {
  const vapi = client({ maxRetries: 2 })
  const created = await vapi.createPhoneNumber({ numberDesiredAreaCode: '206' })
  await setFaults({ errorRate: 1 })
  await expectRejection(vapi.getPhoneNumber(created.id), VapiUnavailableError)
  expect(await requestsTo('GET', `/phone-number/${created.id}`)).toHaveLength(3)
  await expectRejection(vapi.deletePhoneNumber(created.id), VapiUnavailableError)
  expect(await requestsTo('DELETE', `/phone-number/${created.id}`)).toHaveLength(3)
})

test('a 429 carries Retry-After, and a retried GET waits at least that long', async () => {
  const vapi = client({ random: () => 0 })
  const created = await vapi.createPhoneNumber({ numberDesiredAreaCode: '305' })
  await setFaults({ rateLimitRate: 1 })

  const noRetry = await expectRejection(client({ maxRetries: 0 }).listPhoneNumbers(), VapiRateLimitedError)
  expect(noRetry.retryAfterMs).toBe(1_000)
  expect(noRetry.httpStatus).toBe(429)

  const path = `/phone-number/${created.id}`
  const pending = vapi.getPhoneNumber(created.id)
  await vi.waitFor(async () => expect(await requestsTo('GET', path)).toHaveLength(1), { timeout: 2_000, interval: 10 })
  await setFaults({ rateLimitRate: 0 })
  expect((await pending).id).toBe(created.id)
  const [first, second] = await requestsTo('GET', path)
  expect(first?.status).toBe(429)
  expect(second?.status).toBe(200)
  // The jitter is 0 here, so only Retry-After (1 s) can account for the gap.
  expect(Date.parse(second?.at ?? '') - Date.parse(first?.at ?? '')).toBeGreaterThanOrEqual(950)
})

test('a Retry-After longer than maxRetryDelayMs is handed to the caller instead of waited for', async () => {
  const server = await startScriptedServer((_request, response) => {
    response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '120' })
    response.end('{"message":"Too Many Requests","statusCode":429}')
  })
  try {
    const startedAt = performance.now()
    const error = await expectRejection(
      createVapiClient({ baseUrl: server.url, apiKey: 'k' }).getPhoneNumber('any'),
      VapiRateLimitedError,
    )
    expect(error.retryAfterMs).toBe(120_000)
    expect(performance.now() - startedAt).toBeLessThan(2_000)
  } finally {
    await server.close()
  }
})

test('a call slower than timeoutMs becomes VapiUnavailableError', async () => {
  const vapi = client({ timeoutMs: 150, maxRetries: 0 })
  const created = await vapi.createPhoneNumber({ numberDesiredAreaCode: '503' })
  await setFaults({ latencyMs: 1_000 })
  const startedAt = performance.now()
  const error = await expectRejection(vapi.getPhoneNumber(created.id), VapiUnavailableError)
  expect(error.httpStatus).toBeNull()
  expect(error.message).toMatch(/within 150 ms/)
  expect(performance.now() - startedAt).toBeLessThan(900)

  const before = (await requestsTo('POST', '/phone-number')).length
  await expectRejection(vapi.createPhoneNumber({ numberDesiredAreaCode: '503' }), VapiUnavailableError)
  expect((await requestsTo('POST', '/phone-number')).length - before).toBe(1)
})

test('nothing unreachable is retried forever: a closed port is VapiUnavailableError', async () => {
  const closed = await startScriptedServer(() => undefined)
  const url = closed.url
  await closed.close()
  const error = await expectRejection(
    createVapiClient({ baseUrl: url, apiKey: 'k', maxRetries: 1, retryBaseDelayMs: 1 }).getPhoneNumber('x'),
    VapiUnavailableError,
  )
  expect(error.message).toMatch(/Could not reach Vapi/)
})

test('answers that are not phone numbers become VapiInvalidResponseError; unknown fields are kept', async () => {
  const answers: Record<string, { status: number; body: string }> = {
    '/phone-number/no-id': {
      status: 200,
      body: '{"orgId":"o","provider":"vapi","createdAt":"2024-01-01T00:00:00.000Z","updatedAt":"2024-01-01T00:00:00.000Z"}',
    },
    '/phone-number/not-json': { status: 200, body: '<html>gateway</html>' },
    '/phone-number/bad-number': {
      status: 200,
      body: '{"id":"1","orgId":"o","provider":"vapi","createdAt":"x","updatedAt":"x","number":"555-0100"}',
    },
    '/phone-number/extra-fields': {
      status: 200,
      body: '{"id":"2","orgId":"o","provider":"vapi","createdAt":"x","updatedAt":"x","status":"porting","assistantId":null,"smsEnabled":true}',
    },
    '/phone-number/unassigned': {
      status: 200,
      body: '{"id":"3","orgId":"o","provider":"vapi","createdAt":"x","updatedAt":"x","status":"activating","number":""}',
    },
    '/phone-number/sip': {
      status: 200,
      body: '{"id":"4","orgId":"o","provider":"byo-phone-number","createdAt":"x","updatedAt":"x","number":"1001"}',
    },
    '/phone-number/redirect': { status: 302, body: '' },
    '/phone-number': { status: 200, body: '{"results":[]}' },
  }
  const server = await startScriptedServer((request, response) => {
    const answer = answers[request.url ?? ''] ?? { status: 404, body: '{"message":"nope","statusCode":404}' }
    response.writeHead(answer.status, { 'content-type': 'application/json' })
    response.end(answer.body)
  })
  try {
    const vapi = createVapiClient({ baseUrl: `${server.url}/`, apiKey: 'k', maxRetries: 0 })
    for (const id of ['no-id', 'not-json', 'bad-number']) {
      await expectRejection(vapi.getPhoneNumber(id), VapiInvalidResponseError)
    }
    await expectRejection(vapi.listPhoneNumbers(), VapiInvalidResponseError)
    await expectRejection(vapi.deletePhoneNumber('redirect'), VapiInvalidResponseError)
    const tolerant = await vapi.getPhoneNumber('extra-fields')
    expect(tolerant).toMatchObject({ id: '2', status: 'porting', assistantId: null, smsEnabled: true })
    expect((await vapi.getPhoneNumber('unassigned')).number).toBe('')
    expect((await vapi.getPhoneNumber('sip')).number).toBe('1001')
  } finally {
    await server.close()
  }
})

test('the rate limiter holds all calls of one client to maxRequestsPerSecond', async () => {
  const vapi = client({ maxRequestsPerSecond: 5 })
  const created = await vapi.createPhoneNumber({ numberDesiredAreaCode: '617' })
  const startedAt = performance.now()
  const path = `/phone-number/${created.id}`
  // Mixed operations share one bucket: 14 more requests after the create's token.
  await Promise.all(
    Array.from({ length: 14 }, (_, index) =>
      index % 2 === 0 ? vapi.getPhoneNumber(created.id) : vapi.listPhoneNumbers(),
    ),
  )
  const elapsedMs = performance.now() - startedAt
  const arrivals = [...(await requestsTo('GET', path)), ...(await requestsTo('GET', '/phone-number'))]
    .filter((request) => request.status === 200)
    .map((request) => Date.parse(request.at))
    .sort((a, b) => a - b)
  expect(arrivals.length).toBeGreaterThanOrEqual(14)
  // A bucket of 5 tokens refilled at 5/s: 15 requests need at least 2 s. Allow for timer granularity.
  expect(elapsedMs).toBeGreaterThanOrEqual(1_800)
  // In any one-second window: at most the 5 saved tokens plus 5 refilled (+1 for a request exactly on the edge).
  for (const start of arrivals) {
    const inWindow = arrivals.filter((at) => at >= start && at < start + 1_000).length
    expect(inWindow).toBeLessThanOrEqual(11)
  }
})

test('the API key never reaches the logs', async () => {
  const lines: string[] = []
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) })
  const apiKey = `secret-key-${Math.random().toString(36).slice(2)}`
  const vapi = createVapiClient({ baseUrl: sandbox.url, apiKey, logger, retryBaseDelayMs: 1 })
  const created = await vapi.createPhoneNumber({ numberDesiredAreaCode: '720' })
  await vapi.getPhoneNumber(created.id)
  await expectRejection(vapi.createPhoneNumber({ numberDesiredAreaCode: '533' }), VapiAreaCodeUnavailableError)
  await setFaults({ errorRate: 1 })
  await expectRejection(vapi.getPhoneNumber(created.id), VapiUnavailableError)
  expect(lines.length).toBeGreaterThan(4)
  expect(lines.join('\n')).not.toContain(apiKey)
})
