import { z } from 'zod'
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  countWebhookDeliveries,
  createNumber,
  createOffsetClock,
  eventsFor,
  eventually,
  historyOf,
  phoneNumberRow,
  postWebhook,
  sandboxGetsOf,
  sandboxHoldings,
  setSandboxFaults,
  statusMessage,
} from '../../test/support/provisioning-test-kit.ts'
import { startTestApp, testWebhookSecret, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { maxClockSkewMs, signVapiWebhook, type WebhookAuthMode } from '../vapi/verify-vapi-webhook.ts'
import { maxWebhookBodyBytes } from './webhook-routes.ts'
import { vapiIdOf } from '../../test/support/vapi-id-of.ts'

async function errorCodeOf(response: Response) {
  const body = (await response.json()) as { error?: { code?: string } }
  return body.error?.code
}

describe.each(testDatabaseKinds)('POST /webhooks/vapi (hmac) on %s', (kind) => {
  let harness: TestApp
  let cookie: string
  const clock = createOffsetClock()

  beforeAll(async () => {
    harness = await startTestApp(kind, { clock })
    cookie = (await harness.signUp('Owner')).cookie
  })
  afterAll(async () => {
    await harness.close()
  })

  test('a signed status message turns the number live: one transition, one history row, one event', async () => {
    const created = await createNumber(harness, cookie, '415')
    const body = statusMessage({ id: vapiIdOf(created), status: 'active', number: '+14155550123' })
    const response = await postWebhook(harness, body, { messageId: 'accepted-1' })

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ received: true, outcome: 'transitioned' })
    const row = await phoneNumberRow(harness, created.id)
    expect(row).toMatchObject({
      status: 'active',
      number: '+14155550123',
      detected_by: 'webhook',
      version: 2,
      next_check_at: null,
    })
    expect(await historyOf(harness, created.id)).toEqual([
      { from_status: null, to_status: 'pending', source: 'create', reason: null },
      { from_status: 'pending', to_status: 'active', source: 'webhook', reason: null },
    ])
    const events = eventsFor(harness, created.id)
    expect(events.map((event) => [event.phoneNumber.status, event.phoneNumber.version])).toEqual([
      ['pending', 1],
      ['active', 2],
    ])
    const delivery = await harness.db
      .selectFrom('webhook_delivery')
      .selectAll()
      .where('delivery_id', '=', 'id:accepted-1')
      .executeTakeFirstOrThrow()
    expect(delivery).toMatchObject({
      outcome: 'transitioned',
      phone_number_id: created.id,
      vapi_phone_number_id: created.vapiPhoneNumberId,
      message_type: 'phone-number-status-update',
    })

    // The same delivery again (a retry by the sender) is acknowledged and changes nothing.
    const again = await postWebhook(harness, body, { messageId: 'accepted-1' })
    expect(await again.json()).toEqual({ received: true, outcome: 'duplicate' })
    expect((await phoneNumberRow(harness, created.id)).version).toBe(2)
    expect(eventsFor(harness, created.id)).toHaveLength(2)
  })

  test('bad or missing credentials answer 401 and write nothing', async () => {
    const created = await createNumber(harness, cookie, '415')
    const body = statusMessage({ id: vapiIdOf(created), status: 'active', number: '+14155550124' })
    const signed = signVapiWebhook({ mode: 'hmac', secret: testWebhookSecret, rawBody: body, timestampMs: Date.now() })
    const reserialized = JSON.stringify(JSON.parse(body), null, 1)
    const deliveriesBefore = await countWebhookDeliveries(harness)
    const eventsBefore = harness.events.length

    const attempts: { label: string; body: string; headers: Record<string, string> }[] = [
      {
        label: 'wrong secret',
        body,
        headers: signVapiWebhook({ mode: 'hmac', secret: 'not-the-secret', rawBody: body, timestampMs: Date.now() }),
      },
      { label: 'tampered body', body: body.replace('+14155550124', '+14155550199'), headers: signed },
      { label: 're-serialized JSON (same object, other bytes)', body: reserialized, headers: signed },
      { label: 'no credentials', body, headers: {} },
      { label: 'signature without timestamp', body, headers: { 'x-signature': signed['x-signature'] ?? '' } },
      { label: 'timestamp without signature', body, headers: { 'x-timestamp': signed['x-timestamp'] ?? '' } },
      { label: 'X-Vapi-Secret in hmac mode', body, headers: { 'x-vapi-secret': testWebhookSecret } },
      { label: 'Bearer in hmac mode', body, headers: { authorization: `Bearer ${testWebhookSecret}` } },
    ]
    for (const attempt of attempts) {
      const response = await postWebhook(harness, attempt.body, { headers: attempt.headers, messageId: 'refused' })
      expect(response.status, attempt.label).toBe(401)
      expect(await errorCodeOf(response), attempt.label).toBe('UNAUTHENTICATED')
    }

    expect(await countWebhookDeliveries(harness)).toBe(deliveriesBefore)
    expect(await phoneNumberRow(harness, created.id)).toMatchObject({ status: 'pending', version: 1, number: null })
    expect(await historyOf(harness, created.id)).toHaveLength(1)
    expect(harness.events.length).toBe(eventsBefore)

    // The refused message id was not burned: the genuine delivery still works.
    const genuine = await postWebhook(harness, body, { messageId: 'refused' })
    expect(await genuine.json()).toEqual({ received: true, outcome: 'transitioned' })
  })

  test('timestamps just inside ±5 minutes are accepted and just outside refused (seconds and milliseconds)', async () => {
    // dialtone's clock runs 10 minutes ahead of the sender's: only dialtone's clock decides.
    clock.offsetMs = 10 * 60_000
    try {
      const body = JSON.stringify({ message: { type: 'conversation-update', timestamp: Date.now() } })
      const secondsSigned = (timestampMs: number) => {
        const seconds = String(Math.floor(timestampMs / 1000))
        const signature = createHmac('sha256', testWebhookSecret).update(`${seconds}.${body}`).digest('hex')
        return { 'x-timestamp': seconds, 'x-signature': signature }
      }
      const millisecondsSigned = (timestampMs: number) =>
        signVapiWebhook({ mode: 'hmac', secret: testWebhookSecret, rawBody: body, timestampMs })

      const margin = 3_000
      for (const sign of [secondsSigned, millisecondsSigned]) {
        for (const [offset, status] of [
          [-maxClockSkewMs + margin, 200],
          [maxClockSkewMs - margin, 200],
          [-maxClockSkewMs - margin, 401],
          [maxClockSkewMs + margin, 401],
        ] as const) {
          const headers = sign(clock.now().getTime() + offset)
          const response = await postWebhook(harness, body, { headers })
          expect(response.status, `${sign.name} ${offset}`).toBe(status)
        }
      }
      // And the sender's own "now" is 10 minutes behind dialtone's: refused.
      expect((await postWebhook(harness, body, { timestampMs: Date.now() })).status).toBe(401)
    } finally {
      clock.offsetMs = 0
    }
  })

  test('malformed bodies answer 400 and record nothing', async () => {
    const deliveriesBefore = await countWebhookDeliveries(harness)
    for (const body of ['{not json', '', '[]', '{"message":{}}', '{"message":{"type":""}}', '"text"', '{"type":"x"}']) {
      const response = await postWebhook(harness, body)
      expect(response.status, body).toBe(400)
      expect(await errorCodeOf(response)).toBe('VALIDATION_FAILED')
    }
    // Bytes that are not UTF-8, correctly signed.
    const invalidUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])
    const timestamp = String(Date.now())
    const signature = createHmac('sha256', testWebhookSecret).update(`${timestamp}.`).update(invalidUtf8).digest('hex')
    const response = await fetch(`${harness.baseUrl}/webhooks/vapi`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-timestamp': timestamp, 'x-signature': signature },
      body: invalidUtf8,
    })
    expect(response.status).toBe(400)
    expect(await countWebhookDeliveries(harness)).toBe(deliveriesBefore)
  })

  test('unknown message types and numbers that are not ours are acknowledged with 200 and change nothing', async () => {
    const created = await createNumber(harness, cookie, '415')
    const eventsBefore = harness.events.length

    const unknownType = await postWebhook(
      harness,
      JSON.stringify({ message: { type: 'end-of-call-report', timestamp: Date.now(), call: { id: 'c1' } } }),
    )
    expect(unknownType.status).toBe(200)
    expect(await unknownType.json()).toEqual({ received: true, outcome: 'ignored' })

    const notOurs = await postWebhook(
      harness,
      statusMessage({ id: '00000000-0000-4000-8000-000000000000', status: 'active', number: '+14155550125' }),
    )
    expect(notOurs.status).toBe(200)
    expect(await notOurs.json()).toEqual({ received: true, outcome: 'not-ours' })

    expect(harness.events.length).toBe(eventsBefore)
    expect(await phoneNumberRow(harness, created.id)).toMatchObject({ status: 'pending', version: 1 })
    const outcomes = await harness.db
      .selectFrom('webhook_delivery')
      .select(['message_type', 'outcome'])
      .where('message_type', '=', 'end-of-call-report')
      .execute()
    expect(outcomes).toEqual([{ message_type: 'end-of-call-report', outcome: 'ignored' }])
  })

  test('call messages about our number are acknowledged without keeping their content', async () => {
    const created = await createNumber(harness, cookie, '415')
    const report = JSON.stringify({
      message: {
        type: 'end-of-call-report',
        timestamp: Date.now(),
        phoneNumber: { id: created.vapiPhoneNumberId, status: 'activating' },
        transcript: 'Caller: my card number is 4111 1111 1111 1111',
        call: { id: 'call-1', customer: { number: '+14155550000' } },
      },
    })
    const response = await postWebhook(harness, report, { messageId: 'call-report-1' })
    expect(response.status).toBe(200)
    const stored = await harness.db
      .selectFrom('webhook_delivery')
      .select('payload')
      .where('delivery_id', '=', 'id:call-report-1')
      .executeTakeFirstOrThrow()
    expect(JSON.stringify(stored.payload)).not.toMatch(/4111|transcript|customer/)
    expect(stored.payload).toMatchObject({
      message: { type: 'end-of-call-report', phoneNumber: { id: created.vapiPhoneNumberId } },
    })
  })

  test('a body over 256 KiB answers 413 and records nothing; exactly 256 KiB is accepted', async () => {
    const deliveriesBefore = await countWebhookDeliveries(harness)
    const envelope = (padding: string) => JSON.stringify({ message: { type: 'transcript', timestamp: 1, padding } })
    const overhead = Buffer.byteLength(envelope(''))
    const atLimit = envelope('x'.repeat(maxWebhookBodyBytes - overhead))
    expect(Buffer.byteLength(atLimit)).toBe(256 * 1024)
    const overLimit = envelope('x'.repeat(maxWebhookBodyBytes - overhead + 1))

    const tooLarge = await postWebhook(harness, overLimit)
    expect(tooLarge.status).toBe(413)
    expect(await errorCodeOf(tooLarge)).toBe('PAYLOAD_TOO_LARGE')
    expect(await countWebhookDeliveries(harness)).toBe(deliveriesBefore)

    const fits = await postWebhook(harness, atLimit)
    expect(fits.status).toBe(200)
    expect(await countWebhookDeliveries(harness)).toBe(deliveriesBefore + 1)
  })

  test('a body over 256 KiB sent without Content-Length (chunked) answers 413 too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024))
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 5) return controller.close()
        sent += 1
        controller.enqueue(chunk)
      },
    })
    const response = await fetch(`${harness.baseUrl}/webhooks/vapi`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    })
    expect(response.status).toBe(413)
  })

  test('a message about one of our numbers without its number makes dialtone ask Vapi at once', async () => {
    const created = await createNumber(harness, cookie, '415')
    const response = await postWebhook(
      harness,
      statusMessage({ id: vapiIdOf(created), status: 'activating' }, 'phone-number-status-update'),
    )
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ received: true, outcome: 'checking' })
    const gets = await eventually(
      () => sandboxGetsOf(harness, vapiIdOf(created)),
      (list) => list.length > 0,
    )
    expect(gets).toHaveLength(1)
    // Vapi still has no number for it: it stays pending, with no invented change.
    expect(await phoneNumberRow(harness, created.id)).toMatchObject({ status: 'pending', version: 1 })
  })

  test('…and when Vapi has assigned it by then, that check turns the number live (detected by the webhook)', async () => {
    await setSandboxFaults(harness, { webhookDropRate: 1 })
    try {
      const created = await createNumber(harness, cookie, '537')
      const assigned = await eventually(
        async () => (await sandboxHoldings(harness)).find((entry) => entry.id === created.vapiPhoneNumberId),
        (entry) => entry?.number !== undefined,
      )
      expect(assigned?.number).toMatch(/^\+1537\d{7}$/)
      // Some other message type naming the number, without the number itself.
      const response = await postWebhook(
        harness,
        JSON.stringify({ message: { type: 'assistant-request', phoneNumber: { id: created.vapiPhoneNumberId } } }),
      )
      // Vapi waits on an assistant-request: it gets an answer (nobody relays this organisation's messages and no
      // fallback assistant is set, so an error Vapi speaks), and the number is still checked at once.
      expect(z.object({ error: z.string() }).parse(await response.json()).error).toMatch(/cannot take your call/)
      const row = await eventually(
        () => phoneNumberRow(harness, created.id),
        (current) => current.status === 'active',
      )
      expect(row).toMatchObject({ status: 'active', number: assigned?.number, detected_by: 'webhook', version: 2 })
      expect(eventsFor(harness, created.id).map((event) => event.phoneNumber.status)).toEqual(['pending', 'active'])
    } finally {
      await setSandboxFaults(harness, { webhookDropRate: 0 })
    }
  })
})

describe.each(testDatabaseKinds)('webhook auth modes on %s', (kind) => {
  for (const mode of ['secret', 'bearer'] as const satisfies WebhookAuthMode[]) {
    describe(mode, () => {
      let harness: TestApp
      let cookie: string
      beforeAll(async () => {
        harness = await startTestApp(kind, { webhookAuth: mode, sandboxMinDelayMs: 50, sandboxMaxDelayMs: 150 })
        cookie = (await harness.signUp('Owner')).cookie
      })
      afterAll(async () => {
        await harness.close()
      })

      test(`the sandbox's own ${mode} webhook turns a new number live`, async () => {
        const created = await createNumber(harness, cookie, '415')
        const row = await eventually(
          () => phoneNumberRow(harness, created.id),
          (current) => current.status === 'active',
        )
        expect(row).toMatchObject({ status: 'active', detected_by: 'webhook' })
        expect(row.number).toMatch(/^\+1415\d{7}$/)
      })

      test(`the right ${mode} credential is accepted; a wrong one, the other modes' headers and none are refused`, async () => {
        const body = JSON.stringify({ message: { type: 'status-update', timestamp: Date.now() } })
        const right = signVapiWebhook({ mode, secret: testWebhookSecret, rawBody: body, timestampMs: Date.now() })
        const wrong = signVapiWebhook({ mode, secret: `${testWebhookSecret}-not`, rawBody: body, timestampMs: 0 })
        const otherModes = (['hmac', 'secret', 'bearer'] as const)
          .filter((other) => other !== mode)
          .map((other) =>
            signVapiWebhook({ mode: other, secret: testWebhookSecret, rawBody: body, timestampMs: Date.now() }),
          )
        const deliveriesBefore = await countWebhookDeliveries(harness)

        for (const headers of [wrong, ...otherModes, {}]) {
          expect((await postWebhook(harness, body, { headers })).status).toBe(401)
        }
        expect(await countWebhookDeliveries(harness)).toBe(deliveriesBefore)
        const accepted = await postWebhook(harness, body, { headers: right })
        expect(accepted.status).toBe(200)
        expect(await countWebhookDeliveries(harness)).toBe(deliveriesBefore + 1)
      })
    })
  }
})
