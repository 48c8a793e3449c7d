import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { maxApiBodyBytes } from '../../src/app.ts'
import { testDatabaseKinds } from '../support/test-databases.ts'
import { changeCounters, readErrorBody } from './security-assertions.ts'
import { startSecurityHarness, type SecurityHarness } from './security-harness.ts'

/** Strings that would change a query if anything concatenated them into SQL; each at most 40 characters. */
const sqlLookalikes = [
  "'; drop table phone_number; --",
  "x' or '1'='1",
  "Robert'); DROP TABLE user;--",
  '1; delete from member',
  '$$; truncate session; $$',
  "\\'; select pg_sleep(5); --",
  "' union select token from session --",
  '%_%',
  'O\'Brien "front" desk',
  '🦄 ユニコード\u0000end'.replace('\u0000', ''),
]

describe.each(testDatabaseKinds)('hostile input on %s', (kind) => {
  let harness: SecurityHarness
  let cookie: string

  beforeAll(async () => {
    harness = await startSecurityHarness(kind, { createRateLimit: { max: 1_000, windowMs: 60_000 } })
    cookie = (await harness.signUp('Mallory')).cookie
  })
  afterAll(async () => {
    await harness.close()
  })

  test('names that look like SQL are stored as text and read back exactly', async () => {
    const tablesBefore = await changeCounters(harness.db)
    for (const name of sqlLookalikes) {
      expect(name.length).toBeLessThanOrEqual(40)
      const created = await harness.request('/api/phone-numbers', {
        method: 'POST',
        cookie,
        json: { areaCode: '415', name },
      })
      expect(created.status, name).toBe(201)
      const body = (await created.json()) as { id: string; name: string }
      expect(body.name).toBe(name.trim())

      const read = await harness.request(`/api/phone-numbers/${body.id}`, { cookie })
      expect(((await read.json()) as { name: string }).name).toBe(name.trim())

      // The list's search takes the same text; it must find exactly this row by its name, wildcards and all.
      const found = await harness.request(`/api/phone-numbers?${new URLSearchParams({ q: name }).toString()}`, {
        cookie,
      })
      expect(found.status, name).toBe(200)
      const items = ((await found.json()) as { items: { id: string; name: string }[] }).items
      expect(
        items.map((item) => item.id),
        name,
      ).toContain(body.id)

      const stored = await harness.db
        .selectFrom('phone_number')
        .select('name')
        .where('id', '=', body.id)
        .executeTakeFirstOrThrow()
      expect(stored.name).toBe(name.trim())
    }
    // Every table the strings name is still there and still has its rows.
    const after = await changeCounters(harness.db)
    expect(after.numbers).toBe(tablesBefore.numbers + sqlLookalikes.length)
    expect(after.users).toBe(tablesBefore.users)
    const sessions = await harness.db.selectFrom('session').select('id').execute()
    expect(sessions.length).toBeGreaterThan(0)

    for (const q of sqlLookalikes) {
      const response = await harness.request(`/api/area-codes?${new URLSearchParams({ q }).toString()}`, { cookie })
      expect(response.status, q).toBe(200)
    }
    console.info(`[security] ${sqlLookalikes.length} SQL-like names stored verbatim and searched on ${kind}`)
  })

  test('API bodies over 64 KiB answer 413 and change nothing, whether sized up front or streamed', async () => {
    const before = await changeCounters(harness.db)
    const padding = 'a'.repeat(maxApiBodyBytes)
    const oversized = [
      { path: '/api/phone-numbers', json: { areaCode: '415', name: padding } },
      { path: '/api/phone-numbers/refresh', json: { padding } },
      { path: '/api/auth/sign-up/email', json: { name: padding, email: 'big@example.com', password: 'long enough' } },
      { path: '/api/auth/sign-in/email', json: { email: 'big@example.com', password: padding } },
    ]
    for (const { path, json } of oversized) {
      const response = await harness.request(path, { method: 'POST', cookie, json })
      expect(response.status, path).toBe(413)
      expect(await readErrorBody(response), path).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } })
    }

    const streamed = await harness.request('/api/phone-numbers', {
      method: 'POST',
      cookie,
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"areaCode":"415","name":"'))
          for (let i = 0; i < 10; i++) controller.enqueue(new Uint8Array(8 * 1024).fill(97))
          controller.enqueue(new TextEncoder().encode('"}'))
          controller.close()
        },
      }),
      duplex: 'half',
    })
    expect(streamed.status).toBe(413)
    await streamed.arrayBuffer()
    expect(await changeCounters(harness.db)).toEqual(before)

    // Just under the limit is an ordinary request, refused for what it says rather than for its size.
    const nearLimit = await harness.request('/api/phone-numbers', {
      method: 'POST',
      cookie,
      json: { areaCode: '415', name: 'a'.repeat(maxApiBodyBytes - 100) },
    })
    expect(nearLimit.status).toBe(400)
    expect(await readErrorBody(nearLimit)).toMatchObject({ error: { code: 'VALIDATION_FAILED' } })
  })
})
