import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { grantPlatformAdmin } from '../../src/auth/organization-repository.ts'
import { testDatabaseKinds } from '../support/test-databases.ts'
import { readErrorBody } from './security-assertions.ts'
import { startSecurityHarness, type SecurityHarness } from './security-harness.ts'

const kind = testDatabaseKinds.at(-1) ?? 'pglite'
const numRuns = 120

/** What the fuzzer saw, per endpoint and status, printed at the end. */
const tally = new Map<string, number>()
function count(endpoint: string, status: number) {
  const key = `${endpoint} ${status}`
  tally.set(key, (tally.get(key) ?? 0) + 1)
}

/** Never a 5xx; every 4xx in the API's one error shape. The one 5xx allowed is Vapi's own (magic code 536). */
async function expectHandled(endpoint: string, response: Response, context: unknown, allowVapiOutage = false) {
  count(endpoint, response.status)
  if (response.status < 400) {
    await response.arrayBuffer()
    return
  }
  const error = await readErrorBody(response)
  const explained = `${endpoint} → ${response.status} ${JSON.stringify(error)} for ${JSON.stringify(context)}`
  if (allowVapiOutage && response.status === 503) {
    expect(error, explained).toMatchObject({ error: { code: 'VAPI_UNAVAILABLE' } })
    return
  }
  expect(response.status, explained).toBeLessThan(500)
  expect(typeof error, explained).toBe('object')
}

const anyJson = fc.jsonValue({ maxDepth: 3 })
/** Bodies the API should accept (they buy a number in the sandbox), so the fuzzer also walks the happy path. */
const plausibleCreateBody = fc.record(
  {
    areaCode: fc.constantFrom('415', '212', '305', '512', '617', '533', '537', ' 720 '),
    name: fc.string({ maxLength: 40 }),
    assistantId: fc.uuid({ version: 4 }),
  },
  { requiredKeys: ['areaCode'] },
)
const createBody = fc.oneof(
  plausibleCreateBody,
  anyJson,
  fc.record(
    {
      areaCode: fc.oneof(
        fc.stringMatching(/^\s?[0-9]{3}\s?$/),
        fc.constantFrom('415', '533', '212', '911', '190'),
        fc.string({ maxLength: 10 }),
        fc.integer(),
        fc.constant(null),
      ),
      name: fc.oneof(fc.string({ maxLength: 60 }), fc.integer(), fc.constant(null), anyJson),
      assistantId: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), fc.integer()),
    },
    { requiredKeys: [] },
  ),
)
const rawBody = fc.oneof(
  createBody.map((value) => JSON.stringify(value) ?? 'null'),
  fc.string({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 500 }),
)
const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  '',
)
const createRawBody = fc.oneof(
  { weight: 3, arbitrary: createBody.map((value) => JSON.stringify(value) ?? 'null') },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 500 }) },
)
/** Path segments where an id goes: uuids, non-uuids, traversal, encoded junk. */
const idSegment = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 80 }),
  fc.constantFrom('..', '%00', 'null', 'refresh', "1' or '1'='1", '00000000-0000-0000-0000-000000000000'),
)
const queryValue = fc.oneof(fc.string({ maxLength: 120 }), fc.integer().map(String), fc.constant(''))
const queryOf = (keys: string[]) =>
  fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 10 })), queryValue, { maxKeys: 5 })
const search = (params: Record<string, string>) => new URLSearchParams(params).toString()

describe(`API fuzzing on ${kind}`, () => {
  let harness: SecurityHarness
  let cookie: string
  let adminCookie: string

  beforeAll(async () => {
    harness = await startSecurityHarness(kind, { createRateLimit: { max: 10_000, windowMs: 60_000 } })
    cookie = (await harness.signUp('Fuzzer')).cookie
    const admin = await harness.signUp('Admin')
    await grantPlatformAdmin(harness.db, admin.email)
    adminCookie = admin.cookie
  })
  afterAll(async () => {
    await harness.close()
    console.info(`[security] API fuzzing, endpoint → status: ${JSON.stringify(Object.fromEntries(tally), null, 1)}`)
  })

  test('POST /api/phone-numbers with any body, content type and Idempotency-Key: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        createRawBody,
        contentType,
        fc.option(fc.stringMatching(/^[\x20-\x7e]{0,250}$/), { nil: undefined }),
        async (body, type, idempotencyKey) => {
          const headers: Record<string, string> = {}
          if (type) headers['content-type'] = type
          if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey
          const response = await harness.request('/api/phone-numbers', { method: 'POST', cookie, headers, body })
          const isMagicOutage = typeof body === 'string' && /"areaCode":"\s?536\s?"/.test(body)
          await expectHandled('POST /phone-numbers', response, { body: String(body), type }, isMagicOutage)
        },
      ),
      { numRuns },
    )
  })

  test('GET /api/phone-numbers with any query: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(queryOf(['status', 'q', 'cursor', 'limit']), async (query) => {
        const response = await harness.request(`/api/phone-numbers?${search(query)}`, { cookie })
        await expectHandled('GET /phone-numbers', response, query)
      }),
      { numRuns },
    )
  })

  test('GET, refresh and DELETE of any id: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        idSegment,
        fc.constantFrom('GET', 'POST', 'DELETE'),
        fc.option(rawBody, { nil: undefined }),
        async (id, method, body) => {
          const path = `/api/phone-numbers/${encodeURIComponent(id)}${method === 'POST' ? '/refresh' : ''}`
          const response = await harness.request(path, {
            method,
            cookie,
            ...(body !== undefined && method !== 'GET'
              ? { body, headers: { 'content-type': 'application/json' } }
              : {}),
          })
          await expectHandled(`${method} /phone-numbers/:id`, response, { id })
        },
      ),
      { numRuns },
    )
  })

  test('POST /api/phone-numbers/refresh with any body: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, async (body) => {
        const response = await harness.request('/api/phone-numbers/refresh', { method: 'POST', cookie, body })
        await expectHandled('POST /phone-numbers/refresh', response, { body: String(body) })
      }),
      { numRuns: Math.round(numRuns / 3) },
    )
  })

  test('GET /api/area-codes with any query: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(queryOf(['q', 'limit']), async (query) => {
        const response = await harness.request(`/api/area-codes?${search(query)}`, { cookie })
        await expectHandled('GET /area-codes', response, query)
      }),
      { numRuns },
    )
  })

  test('GET /api/admin/provisioning-stats with any query, as an admin: never a 5xx', async () => {
    const timestamp = fc.oneof(
      fc
        .date({ min: new Date('1970-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '2024-01-01T00:00:00Z',
        '2024-01-01T00:00:00+14:00',
        '0000-01-01T00:00:00Z',
        '9999-12-31T23:59:59Z',
      ),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            from: timestamp,
            to: timestamp,
            bucket: fc.oneof(fc.constantFrom('hour', 'day'), fc.string({ maxLength: 8 })),
            organizationId: fc.oneof(fc.uuid(), fc.string({ maxLength: 60 })),
          },
          { requiredKeys: [] },
        ),
        async (query) => {
          const response = await harness.request(`/api/admin/provisioning-stats?${search(query)}`, {
            cookie: adminCookie,
          })
          await expectHandled('GET /admin/provisioning-stats', response, query)
        },
      ),
      { numRuns },
    )
  })
})
