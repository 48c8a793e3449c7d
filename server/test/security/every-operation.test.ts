import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { grantPlatformAdmin } from '../../src/auth/organization-repository.ts'
import { permissionsOfRole } from '../../src/auth/permissions.ts'
import type { Database } from '../../src/db/schema.ts'
import { apiOperations, type ApiOperation } from '../../src/openapi/api-operations.ts'
import { testDatabaseKinds } from '../support/test-databases.ts'
import { readErrorBody } from './security-assertions.ts'
import { roomyCreateRateLimits, startSecurityHarness, type SecurityHarness } from './security-harness.ts'

// Every operation the OpenAPI description names, driven from that list, so a route added tomorrow is checked here
// the day it is described: cross-site requests, members without the permission, other organisations' ids, and
// fuzzed ids, queries and bodies. The checks are the same for every route; what each route does is its own test's.

const kind = testDatabaseKinds.at(-1) ?? 'pglite'
const runsPerOperation = 25

/** Tables a refused request may still touch, and why: none of them is state a person or program asked for. */
const volatileTables = new Set([
  // counts requests so limits hold: every request, refused or not, is counted
  'rate_limit_counter',
  // each process's heartbeat (processes/): it beats every 2 s whatever requests do
  'worker_process',
  // Kysely's own bookkeeping
  'kysely_migration',
  'kysely_migration_lock',
])

/** A fingerprint of every row of every table (but the volatile ones): equal before and after means nothing changed. */
async function fingerprint(db: Kysely<Database>): Promise<Map<string, string>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db)
  const names = tables.rows.map((row) => row.name).filter((name) => !volatileTables.has(name))
  const parts = names.map(
    (name) =>
      sql`select ${name}::text as name, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as hash from ${sql.table(name)} t`,
  )
  const result = await sql<{ name: string; hash: string }>`${sql.join(parts, sql` union all `)}`.execute(db)
  return new Map(result.rows.map((row) => [row.name, row.hash]))
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((name) => before.get(name) !== after.get(name))
}

const isMutation = (operation: ApiOperation) => operation.method !== 'get'
/** Better Auth's routes have their own suite (auth-surface, cross-site-and-headers); signing out here would end the test's session. */
const isAuthRoute = (operation: ApiOperation) => operation.path.startsWith('/api/auth/')
const hasId = (operation: ApiOperation) => operation.path.includes('{id}')
const pathWith = (operation: ApiOperation, id: string) => operation.path.replace('{id}', encodeURIComponent(id))

const anyJson = fc.jsonValue({ maxDepth: 3 })
const junkValue = fc.oneof(
  anyJson,
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    null,
    -1,
    1e308,
    '',
    ' ',
    '\u0000',
    '../../etc/passwd',
    "' or 1=1 --",
    'http://169.254.169.254/latest/meta-data',
    'javascript:alert(1)',
    '<script>alert(1)</script>',
    'a'.repeat(5_000),
    '\ud800',
  ),
)
/** The property names the operation's schema describes, so the fuzzer gets past "unknown key" and into each field. */
function keysOf(schema: z.core.$ZodType | undefined): string[] {
  if (schema === undefined) return []
  try {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, unknown>
      anyOf?: { properties?: Record<string, unknown> }[]
      oneOf?: { properties?: Record<string, unknown> }[]
    }
    const variants = [json, ...(json.anyOf ?? []), ...(json.oneOf ?? [])]
    return [...new Set(variants.flatMap((variant) => Object.keys(variant.properties ?? {})))]
  } catch {
    return []
  }
}
function bodyOf(operation: ApiOperation) {
  const keys = keysOf(operation.body)
  const shaped =
    keys.length === 0
      ? anyJson
      : fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 12 })), junkValue, { maxKeys: 6 })
  return fc.oneof(
    { weight: 4, arbitrary: shaped.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: anyJson.map((value) => JSON.stringify(value)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', 'not json', '{"a":', '[', '{"__proto__":{"admin":true}}', '['.repeat(3_000)),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')) },
  )
}
function queryOf(operation: ApiOperation) {
  const keys = keysOf(operation.query)
  const value = fc.oneof(fc.string({ maxLength: 120 }), fc.integer().map(String), fc.constantFrom('', '-1', '1e9'))
  const key = keys.length === 0 ? fc.string({ maxLength: 10 }) : fc.oneof(fc.constantFrom(...keys), fc.string())
  return fc.dictionary(key, value, { maxKeys: 5 })
}
const contentType = fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', '')
const junkId = fc.oneof(
  fc.uuid(),
  fc.string({ minLength: 1, maxLength: 80 }),
  fc.constantFrom('..', '%00', 'null', "1' or '1'='1", '00000000-0000-0000-0000-000000000000', 'a'.repeat(2_000)),
)

describe(`every described operation on ${kind}`, () => {
  let harness: SecurityHarness
  let owner: Awaited<ReturnType<SecurityHarness['signUp']>>
  let member: Awaited<ReturnType<SecurityHarness['signUp']>>
  let stranger: Awaited<ReturnType<SecurityHarness['signUp']>>
  /** The owner's real ids, by the path they go in: a refusal must come from who asks, not from a missing row. */
  const ownIds = new Map<string, string>()
  const idFor = (operation: ApiOperation) => ownIds.get(operation.path.split('/{id}')[0] ?? '') ?? randomUUID()

  const send = (
    operation: ApiOperation,
    init: { cookie: string; id?: string; body?: string; contentType?: string; origin?: string; query?: string },
  ) => {
    const path = hasId(operation) ? pathWith(operation, init.id ?? idFor(operation)) : operation.path
    const headers: Record<string, string> = { cookie: init.cookie, origin: init.origin ?? harness.baseUrl }
    if (init.origin !== undefined) headers['sec-fetch-site'] = 'cross-site'
    if (init.contentType) headers['content-type'] = init.contentType
    const hasBody = init.body !== undefined && isMutation(operation)
    return fetch(`${harness.baseUrl}${path}${init.query ? `?${init.query}` : ''}`, {
      method: operation.method.toUpperCase(),
      headers,
      ...(hasBody ? { body: init.body } : {}),
    })
  }

  beforeAll(async () => {
    harness = await startSecurityHarness(kind, {
      createRateLimits: roomyCreateRateLimits(10_000),
      env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' },
    })
    owner = await harness.signUp('Every Operation Owner')
    await grantPlatformAdmin(harness.db, owner.email)
    stranger = await harness.signUp('Stranger')
    member = await harness.signUp('Watcher')
    const asOwner = (path: string, method: string, json?: unknown) =>
      harness.request(path, { method, cookie: owner.cookie, ...(json === undefined ? {} : { json }) })
    const idOf = async (response: Response) => {
      expect(response.status, await response.clone().text()).toBeLessThan(300)
      return z.object({ id: z.string() }).parse(await response.json()).id
    }
    // Reading the connection first: in sandbox mode the first read opens the organisation's sandbox account.
    for (const cookie of [owner.cookie, stranger.cookie, member.cookie]) {
      await (await harness.request('/api/connections/vapi', { cookie })).arrayBuffer()
    }
    // 534: the sandbox never assigns it, so no webhook arrives while the fingerprints are compared.
    ownIds.set('/api/phone-numbers', await idOf(await asOwner('/api/phone-numbers', 'POST', { areaCode: '534' })))
    ownIds.set(
      '/api/webhook-endpoints',
      await idOf(await asOwner('/api/webhook-endpoints', 'POST', { url: 'http://127.0.0.1:9/hook' })),
    )
    ownIds.set(
      '/api/api-keys',
      await idOf(await asOwner('/api/api-keys', 'POST', { name: 'kept', scopes: ['numbers:read'] })),
    )
    const invitation = await idOf(await asOwner('/api/invitations', 'POST', { email: member.email, role: 'member' }))
    const accepted = await harness.request(`/api/invitations/${invitation}/accept`, {
      method: 'POST',
      cookie: member.cookie,
      json: {},
    })
    expect(accepted.status, await accepted.clone().text()).toBe(200)
    const switched = await harness.request('/api/auth/organization/set-active', {
      method: 'POST',
      cookie: member.cookie,
      json: { organizationId: owner.organizationId },
    })
    expect(switched.status).toBe(200)
    await switched.arrayBuffer()
    const members = z.object({ items: z.array(z.object({ id: z.string(), email: z.string() })) })
    const listed = members.parse(await (await asOwner('/api/members', 'GET')).json())
    const memberId = listed.items.find((item) => item.email === member.email)?.id
    if (!memberId) throw new Error('the member did not join')
    ownIds.set('/api/members', memberId)
    const second = await idOf(await asOwner('/api/invitations', 'POST', { email: 'later@example.com', role: 'member' }))
    ownIds.set('/api/invitations', second)
  })
  afterAll(async () => {
    await harness.close()
  })

  test('the description names operations to check', () => {
    expect(apiOperations.filter((operation) => !isAuthRoute(operation)).length).toBeGreaterThan(30)
  })

  test('every mutation from another site is refused before it runs, and nothing changes', async () => {
    const before = await fingerprint(harness.db)
    const answers: string[] = []
    for (const operation of apiOperations.filter((each) => isMutation(each) && !isAuthRoute(each))) {
      const response = await send(operation, {
        cookie: owner.cookie,
        origin: 'https://evil.example',
        body: '{}',
        contentType: 'application/json',
      })
      const error = await readErrorBody(response)
      answers.push(`${operation.operationId} ${response.status}`)
      expect(response.status, `${operation.operationId}: ${JSON.stringify(error)}`).toBe(403)
      expect(error).toMatchObject({ error: { code: 'FORBIDDEN' } })
    }
    expect(changedTables(before, await fingerprint(harness.db)), answers.join(', ')).toEqual([])
  })

  test('a member is refused every operation that needs a permission members lack, and nothing changes', async () => {
    const memberMay = permissionsOfRole('member')
    const needsMore = apiOperations.filter(
      (operation) =>
        !isAuthRoute(operation) &&
        (operation.access === 'platform-admin' ||
          (operation.permission !== undefined && !memberMay.has(operation.permission))),
    )
    expect(needsMore.length).toBeGreaterThan(15)
    const before = await fingerprint(harness.db)
    for (const operation of needsMore) {
      const response = await send(operation, { cookie: member.cookie, body: '{}', contentType: 'application/json' })
      const error = await readErrorBody(response)
      expect(response.status, `${operation.method} ${operation.path}: ${JSON.stringify(error)}`).toBe(403)
    }
    expect(changedTables(before, await fingerprint(harness.db))).toEqual([])
  })

  test("another organisation's ids are never found, whatever the route, and nothing changes", async () => {
    // An invitation's id is the secret its link carries: whoever holds the link may read who invited them (accepting
    // still needs the invited email; docs/security.md).
    const isLinkSecret = (operation: ApiOperation) => operation.operationId === 'getInvitation'
    const withIds = apiOperations.filter(
      (operation) =>
        hasId(operation) &&
        !isAuthRoute(operation) &&
        !isLinkSecret(operation) &&
        ownIds.has(operation.path.split('/{id}')[0] ?? ''),
    )
    expect(withIds.length).toBeGreaterThan(8)
    const before = await fingerprint(harness.db)
    for (const operation of withIds) {
      const response = await send(operation, { cookie: stranger.cookie, body: '{}', contentType: 'application/json' })
      const error = await readErrorBody(response)
      const explained = `${operation.method} ${operation.path} as a stranger: ${JSON.stringify(error)}`
      expect([400, 403, 404], explained).toContain(response.status)
    }
    expect(changedTables(before, await fingerprint(harness.db))).toEqual([])
  })

  test('fuzzed ids, queries and bodies on every operation never give a 5xx, and a refusal changes nothing', async () => {
    /** Acting on the owner's organisation as a whole (deleting it) would end the run; its refusals are checked above. */
    const fuzzed = apiOperations.filter(
      (operation) => !isAuthRoute(operation) && operation.path !== '/api/organization',
    )
    const tally = new Map<string, number>()
    for (const operation of fuzzed) {
      const id = hasId(operation)
        ? operation.method === 'delete'
          ? junkId
          : fc.oneof(fc.constant(idFor(operation)), junkId)
        : fc.constant(undefined)
      const request = fc.record({
        id,
        query: queryOf(operation).map((params) => new URLSearchParams(params).toString()),
        body: isMutation(operation) ? bodyOf(operation) : fc.constant(undefined),
        contentType,
      })
      await fc.assert(
        fc.asyncProperty(request, async (input) => {
          const before = await fingerprint(harness.db)
          const response = await send(operation, {
            cookie: owner.cookie,
            ...(input.id === undefined ? {} : { id: input.id }),
            ...(input.body === undefined ? {} : { body: input.body }),
            contentType: input.contentType,
            query: input.query,
          })
          const key = `${operation.operationId} ${response.status}`
          tally.set(key, (tally.get(key) ?? 0) + 1)
          const answer = response.status >= 400 ? await readErrorBody(response) : await response.arrayBuffer()
          const explained = `${operation.method} ${operation.path} ${JSON.stringify(input).slice(0, 400)} → ${response.status} ${JSON.stringify(answer).slice(0, 300)}`
          expect(response.status, explained).toBeLessThan(500)
          if (response.status >= 400) {
            expect(typeof answer, explained).toBe('object')
            expect(changedTables(before, await fingerprint(harness.db)), explained).toEqual([])
          }
        }),
        { numRuns: runsPerOperation, seed: 20261201 },
      )
    }
    console.info(`[security] every operation fuzzed, operation → status: ${JSON.stringify(Object.fromEntries(tally))}`)
  }, 600_000)
})
