import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testDatabaseKinds } from '../support/test-databases.ts'
import { changeCounters, readErrorBody } from './security-assertions.ts'
import { harnessSecrets, startSecurityHarness, type SecurityHarness } from './security-harness.ts'

// One database kind is enough to fuzz the HTTP edge: Postgres when the suite has one (CI), PGlite otherwise.
const kind = testDatabaseKinds.at(-1) ?? 'pglite'
const numRuns = 150

// Headers fetch refuses to send, or that would change how the body is framed rather than what it says.
const unsendableHeaders = new Set([
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

const headerName = fc
  .oneof(
    fc.constantFrom('x-timestamp', 'x-signature', 'x-message-id', 'x-vapi-secret', 'authorization', 'content-type'),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,24}$/),
  )
  .filter((name) => !unsendableHeaders.has(name))
const headerValue = fc.oneof(
  fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,120}$/),
  fc.stringMatching(/^[0-9a-f]{64}$/),
  fc.integer({ min: 0, max: 2 ** 52 }).map(String),
  fc.constant(String(Date.now())),
)
const randomHeaders = fc.dictionary(headerName, headerValue, { maxKeys: 8 })

const randomBody = fc.oneof(
  fc.uint8Array({ maxLength: 2_000 }),
  fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
  fc.string({ maxLength: 500 }),
)

/** Envelopes shaped like Vapi's, with every field sometimes missing, oversized or of the wrong type. */
const envelopeLike = (knownVapiIds: string[]) =>
  fc
    .record(
      {
        type: fc.oneof(
          fc.constantFrom('phone-number-status-update', 'status-update', 'end-of-call-report'),
          fc.string({ maxLength: 250 }),
          fc.jsonValue(),
        ),
        timestamp: fc.oneof(fc.integer(), fc.string(), fc.jsonValue()),
        phoneNumber: fc.oneof(
          fc.record(
            {
              id: fc.oneof(fc.constantFrom(...knownVapiIds), fc.uuid(), fc.string({ maxLength: 300 }), fc.integer()),
              status: fc.oneof(fc.constantFrom('active', 'activating', 'blocked'), fc.string(), fc.constant(null)),
              number: fc.oneof(
                fc.stringMatching(/^\+1[2-9]\d{9}$/),
                fc.string({ maxLength: 60 }),
                fc.constant(null),
                fc.integer(),
              ),
            },
            { requiredKeys: [] },
          ),
          fc.constant(null),
          fc.jsonValue(),
        ),
      },
      { requiredKeys: [] },
    )
    .map((message) => JSON.stringify({ message }))

function hmac(secret: string, timestamp: string, body: string | Uint8Array) {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')
}

describe(`webhook fuzzing on ${kind}`, () => {
  let harness: SecurityHarness
  let pendingVapiId: string
  let pendingId: string

  beforeAll(async () => {
    harness = await startSecurityHarness(kind)
    const owner = await harness.signUp('Fuzzed')
    const created = await harness.request('/api/phone-numbers', {
      method: 'POST',
      cookie: owner.cookie,
      json: { areaCode: '415' },
    })
    expect(created.status).toBe(201)
    const body = (await created.json()) as { id: string; vapiPhoneNumberId: string }
    pendingVapiId = body.vapiPhoneNumberId
    pendingId = body.id
  })
  afterAll(async () => {
    await harness.close()
  })

  const post = (body: string | Uint8Array, headers: Record<string, string>) =>
    fetch(`${harness.baseUrl}/webhooks/vapi`, { method: 'POST', headers, body })

  const statusOfOurNumber = async () =>
    (
      await harness.db
        .selectFrom('phone_number')
        .select(['status', 'version'])
        .where('id', '=', pendingId)
        .executeTakeFirstOrThrow()
    ).status

  test('random bytes under random headers are refused with 401 and change nothing', async () => {
    const before = await changeCounters(harness.db)
    let tried = 0
    await fc.assert(
      fc.asyncProperty(fc.oneof(randomBody, envelopeLike([pendingVapiId])), randomHeaders, async (body, headers) => {
        tried += 1
        const response = await post(body, headers)
        expect(response.status).toBe(401)
        const error = await readErrorBody(response)
        expect(error, JSON.stringify({ headers })).toMatchObject({ error: { code: 'UNAUTHENTICATED' } })
      }),
      { numRuns },
    )
    expect(await changeCounters(harness.db)).toEqual(before)
    expect(await statusOfOurNumber()).toBe('pending')
    console.info(`[security] webhook: ${tried} random bodies with random headers → all 401, 0 rows written`)
  })

  test('a valid-looking envelope for our own number with wrong credentials is refused and changes nothing', async () => {
    const before = await changeCounters(harness.db)
    const tamperings = [
      'other-secret',
      'other-body',
      'stale-timestamp',
      'future-timestamp',
      'timestamp-swapped',
      'no-signature',
      'no-timestamp',
      'truncated-signature',
      'secret-as-signature',
      'secret-header',
      'bearer',
    ] as const
    const tried = new Map<string, number>()
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...tamperings),
        fc.stringMatching(/^\+1[2-9]\d{9}$/),
        fc.string({ minLength: 1, maxLength: 64 }).filter((value) => value !== harnessSecrets.webhookSecret),
        fc.integer({ min: 5 * 60_000 + 1_000, max: 10 * 365 * 24 * 3600_000 }),
        async (tampering, number, otherSecret, skewMs) => {
          tried.set(tampering, (tried.get(tampering) ?? 0) + 1)
          const body = JSON.stringify({
            message: {
              type: 'phone-number-status-update',
              timestamp: Date.now(),
              phoneNumber: { id: pendingVapiId, status: 'active', number },
            },
          })
          const now = String(Date.now())
          const secret = harnessSecrets.webhookSecret
          const headers: Record<string, string> = { 'content-type': 'application/json', 'x-timestamp': now }
          switch (tampering) {
            case 'other-secret':
              headers['x-signature'] = hmac(otherSecret, now, body)
              break
            case 'other-body':
              headers['x-signature'] = hmac(secret, now, body.replace('active', 'activating'))
              break
            case 'stale-timestamp': {
              const stale = String(Date.now() - skewMs)
              headers['x-timestamp'] = stale
              headers['x-signature'] = hmac(secret, stale, body)
              break
            }
            case 'future-timestamp': {
              const future = String(Date.now() + skewMs)
              headers['x-timestamp'] = future
              headers['x-signature'] = hmac(secret, future, body)
              break
            }
            case 'timestamp-swapped':
              headers['x-signature'] = hmac(secret, String(Number(now) - 1), body)
              break
            case 'no-signature':
              break
            case 'no-timestamp':
              delete headers['x-timestamp']
              headers['x-signature'] = hmac(secret, now, body)
              break
            case 'truncated-signature':
              headers['x-signature'] = hmac(secret, now, body).slice(0, 63)
              break
            case 'secret-as-signature':
              headers['x-signature'] = secret
              break
            case 'secret-header':
              // The right secret, but this server expects HMAC: a leaked-secret replay in another scheme is refused.
              headers['x-vapi-secret'] = secret
              break
            case 'bearer':
              headers.authorization = `Bearer ${secret}`
              break
          }
          const response = await post(body, headers)
          expect(response.status, tampering).toBe(401)
          await response.arrayBuffer()
        },
      ),
      { numRuns },
    )
    expect(await changeCounters(harness.db)).toEqual(before)
    expect(await statusOfOurNumber()).toBe('pending')
    console.info(
      `[security] webhook: forged envelopes for a real pending number → all 401, 0 rows written: ${JSON.stringify(Object.fromEntries(tried))}`,
    )
  })

  test('signed bodies of any shape answer 200 or 400, never 5xx, and a 400 writes nothing', async () => {
    const outcomes = new Map<string, number>()
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(randomBody, envelopeLike([pendingVapiId, '00000000-0000-4000-8000-000000000000'])),
        fc.option(fc.stringMatching(/^[\x21-\x7e]{1,300}$/), { nil: undefined }),
        async (body, messageId) => {
          const timestamp = String(Date.now())
          const headers: Record<string, string> = {
            'content-type': 'application/json',
            'x-timestamp': timestamp,
            'x-signature': hmac(harnessSecrets.webhookSecret, timestamp, body),
            ...(messageId === undefined ? {} : { 'x-message-id': messageId }),
          }
          const before = await changeCounters(harness.db)
          const response = await post(body, headers)
          const text = await response.text()
          expect([200, 400], text).toContain(response.status)
          if (response.status === 400) {
            expect(await changeCounters(harness.db)).toEqual(before)
            outcomes.set('400', (outcomes.get('400') ?? 0) + 1)
          } else {
            const answer = JSON.parse(text) as { received: boolean; outcome: string }
            expect(answer.received).toBe(true)
            outcomes.set(answer.outcome, (outcomes.get(answer.outcome) ?? 0) + 1)
          }
        },
      ),
      { numRuns },
    )
    console.info(
      `[security] webhook: ${numRuns} signed random bodies → ${JSON.stringify(Object.fromEntries(outcomes))}`,
    )
  })

  test('a body over 256 KiB answers 413, signed or not, and writes nothing', async () => {
    const before = await changeCounters(harness.db)
    const big = JSON.stringify({ message: { type: 'x', padding: 'a'.repeat(256 * 1024) } })
    const timestamp = String(Date.now())
    const signed = await post(big, {
      'content-type': 'application/json',
      'x-timestamp': timestamp,
      'x-signature': hmac(harnessSecrets.webhookSecret, timestamp, big),
    })
    expect(signed.status).toBe(413)
    expect(await readErrorBody(signed)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } })

    // Without a Content-Length (chunked), the limit applies to the bytes as they arrive.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(16 * 1024).fill(97))
        controller.close()
      },
    })
    const streamed = await fetch(`${harness.baseUrl}/webhooks/vapi`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    })
    expect(streamed.status).toBe(413)
    await streamed.arrayBuffer()
    expect(await changeCounters(harness.db)).toEqual(before)
  })
})
