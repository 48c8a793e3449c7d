import {
  webhookDeliveryListSchema,
  webhookEndpointListSchema,
  webhookEndpointWithSecretSchema,
  type WebhookDelivery,
} from '@dialtone/shared/webhook-endpoints'
import { phoneNumberSchema } from '@dialtone/shared/phone-number'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { createNumber, eventually } from '../../test/support/provisioning-test-kit.ts'
import { transitionPhoneNumber } from '../provisioning/phone-number-transition-repository.ts'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { startWebhookReceiver, type ReceivedWebhook } from '../../test/support/start-webhook-receiver.ts'
import { deliverDueWebhooks, defaultDeliveryRoundOptions, type DeliveryRoundOptions } from './deliver-due-webhooks.ts'
import { startOutboundWebhookWorker } from './outbound-webhook-worker.ts'

const payloadSchema = z.object({ type: z.string(), timestamp: z.string(), data: phoneNumberSchema })

/** The schedule, compressed: what takes hours in production takes tens of milliseconds here. */
function roundOptions(retryScheduleMs: number[]): DeliveryRoundOptions {
  return {
    ...defaultDeliveryRoundOptions,
    retryScheduleMs,
    request: { ...defaultDeliveryRoundOptions.request, timeoutMs: 2_000 },
  }
}

/** What a receiver does with a delivery: the Standard Webhooks reference verifier, then the JSON. */
function verifyWithReference(secret: string, webhook: ReceivedWebhook) {
  const headers = {
    'webhook-id': String(webhook.headers['webhook-id']),
    'webhook-timestamp': String(webhook.headers['webhook-timestamp']),
    'webhook-signature': String(webhook.headers['webhook-signature']),
  }
  return payloadSchema.parse(new Webhook(secret).verify(webhook.rawBody, headers))
}

describe.each(testDatabaseKinds)('outbound webhooks on %s', (kind) => {
  let harness: TestApp
  let owner: Awaited<ReturnType<TestApp['signUp']>>
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>

  beforeAll(async () => {
    harness = await startTestApp(kind)
    owner = await harness.signUp('Hooked')
    receiver = await startWebhookReceiver()
  })
  afterAll(async () => {
    await receiver.close()
    await harness.close()
  })

  const register = async (url: string, events?: string[], cookie = owner.cookie) => {
    const response = await harness.request('/api/webhook-endpoints', {
      method: 'POST',
      cookie,
      json: { url, ...(events ? { events } : {}) },
    })
    expect(response.status, await response.clone().text()).toBe(201)
    return webhookEndpointWithSecretSchema.parse(await response.json())
  }

  const deliveriesOf = async (endpointId: string): Promise<WebhookDelivery[]> => {
    const response = await harness.request(`/api/webhook-endpoints/${endpointId}/deliveries`, { cookie: owner.cookie })
    expect(response.status).toBe(200)
    return webhookDeliveryListSchema.parse(await response.json()).items
  }

  const endpointOf = async (endpointId: string) => {
    const response = await harness.request('/api/webhook-endpoints', { cookie: owner.cookie })
    const endpoint = webhookEndpointListSchema.parse(await response.json()).items.find((e) => e.id === endpointId)
    if (!endpoint) throw new Error('endpoint missing')
    return endpoint
  }

  const goLive = async (phoneNumberId: string, number = '+14155550123') => {
    const transition = await transitionPhoneNumber(harness.db, {
      phoneNumberId,
      signal: { kind: 'assigned', number },
      source: 'poll',
      now: new Date(),
    })
    expect(transition?.row.status).toBe('active')
  }

  /** A fresh endpoint for live events at the receiver, which answers `status`, and a number that just went live. */
  const endpointWithLiveNumber = async (status: number) => {
    receiver.received.length = 0
    receiver.answer.status = status
    const endpoint = await register(receiver.url, ['phone-number.live'])
    const created = await createNumber(harness, owner.cookie, '415')
    await goLive(created.id)
    return { endpoint, created }
  }

  const unregister = (endpointId: string) =>
    harness.request(`/api/webhook-endpoints/${endpointId}`, { method: 'DELETE', cookie: owner.cookie })

  /** Delivery rounds until `isDone`, as the worker would run them. */
  const deliverUntil = async (options: DeliveryRoundOptions, isDone: () => Promise<boolean>) => {
    for (let round = 0; round < 200 && !(await isDone()); round++) {
      await deliverDueWebhooks(harness.outboundWebhooks, options)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(await isDone()).toBe(true)
  }

  test('a number going live reaches the endpoint signed per Standard Webhooks, with the number as the API shows it', async () => {
    const endpoint = await register(receiver.url)
    expect(endpoint.secret).toMatch(/^whsec_/)
    expect(endpoint.events).toEqual([
      'phone-number.live',
      'phone-number.failed',
      'phone-number.released',
      'phone-number.updated',
    ])

    const created = await createNumber(harness, owner.cookie, '415')
    await goLive(created.id)
    await deliverUntil(roundOptions([0]), async () => receiver.received.length >= 2)

    const payloads = receiver.received.map((webhook) => verifyWithReference(endpoint.secret, webhook))
    expect(payloads.map((payload) => payload.type)).toEqual(['phone-number.updated', 'phone-number.live'])
    const live = payloads[1]
    const shown = phoneNumberSchema.parse(
      await (await harness.request(`/api/phone-numbers/${created.id}`, { cookie: owner.cookie })).json(),
    )
    expect(live?.data).toEqual(shown)
    expect(live?.data.status).toBe('active')
    expect(live?.data.number).toBe('+14155550123')
    // The first event reports the number as it was then (pending), not as it is now.
    expect(payloads[0]?.data.status).toBe('pending')

    const log = await deliveriesOf(endpoint.id)
    expect(log.map((delivery) => delivery.status)).toEqual(['succeeded', 'succeeded'])
    const attempt = log[0]?.attempts[0]
    expect(attempt).toMatchObject({ responseStatus: 200, isSuccess: true, responseExcerpt: '{"ok":true}' })
    expect(attempt?.latencyMs).toBeGreaterThanOrEqual(0)
    expect(receiver.received.map((webhook) => webhook.headers['webhook-id']).sort()).toEqual(
      log.map((delivery) => delivery.webhookId).sort(),
    )

    // The secret is shown once: never listed, never stored in the clear.
    const listed = await (await harness.request('/api/webhook-endpoints', { cookie: owner.cookie })).text()
    expect(listed).not.toContain(endpoint.secret.slice(6))
    expect(listed).not.toContain('secret"')
    const stored = await harness.db.selectFrom('webhook_endpoint').select('secret_ciphertext').execute()
    expect(JSON.stringify(stored)).not.toContain(endpoint.secret.slice(6))
    await unregister(endpoint.id)
  })

  test('a receiver answering 500 then 200 gets the event once as a success, after a retry with the same id', async () => {
    const { endpoint } = await endpointWithLiveNumber(500)

    await deliverDueWebhooks(harness.outboundWebhooks, roundOptions([0, 50, 50]))
    expect(receiver.received).toHaveLength(1)
    receiver.answer.status = 200
    await deliverUntil(
      roundOptions([0, 50, 50]),
      async () => (await deliveriesOf(endpoint.id))[0]?.status === 'succeeded',
    )

    expect(receiver.received).toHaveLength(2)
    const [first, second] = receiver.received
    expect(first?.headers['webhook-id']).toBe(second?.headers['webhook-id'])
    expect(verifyWithReference(endpoint.secret, second ?? receiver.received[0]!).type).toBe('phone-number.live')
    const [delivery] = await deliveriesOf(endpoint.id)
    expect(delivery?.attempts.map((attempt) => attempt.responseStatus)).toEqual([500, 200])
    expect(delivery?.attempts[0]?.responseExcerpt).toContain('answered 500')
    // Nothing more is sent once it succeeded.
    await deliverDueWebhooks(harness.outboundWebhooks, roundOptions([0, 50, 50]))
    expect(receiver.received).toHaveLength(2)
    await unregister(endpoint.id)
  })

  test('a receiver slower than the timeout: that attempt failed with no answer, the retry under the same id succeeds once', async () => {
    const { endpoint } = await endpointWithLiveNumber(200)
    receiver.answer.delayMs = 1_500
    const impatient: DeliveryRoundOptions = {
      ...roundOptions([0, 50, 50]),
      request: { ...defaultDeliveryRoundOptions.request, timeoutMs: 300 },
    }
    await deliverDueWebhooks(harness.outboundWebhooks, impatient)
    // It arrived, but its answer came too late to count.
    expect(receiver.received).toHaveLength(1)
    receiver.answer.delayMs = 0
    await deliverUntil(impatient, async () => (await deliveriesOf(endpoint.id))[0]?.status === 'succeeded')

    expect(receiver.received).toHaveLength(2)
    expect(receiver.received[0]?.headers['webhook-id']).toBe(receiver.received[1]?.headers['webhook-id'])
    const [delivery] = await deliveriesOf(endpoint.id)
    expect(delivery?.attempts.map((attempt) => [attempt.responseStatus, attempt.isSuccess])).toEqual([
      [null, false],
      [200, true],
    ])
    expect(delivery?.attempts[0]?.responseExcerpt).toBe('No answer within 300 ms.')
    await deliverDueWebhooks(harness.outboundWebhooks, impatient)
    expect(receiver.received).toHaveLength(2)
    await unregister(endpoint.id)
  })

  test('a receiver down for longer is retried on schedule, then the endpoint is disabled; recover sends again', async () => {
    receiver.received.length = 0
    receiver.answer.status = 503
    const endpoint = await register(receiver.url, ['phone-number.live'])
    const created = await createNumber(harness, owner.cookie, '415')
    const schedule = [0, 100, 200, 300]
    const worker = startOutboundWebhookWorker(harness.outboundWebhooks, {
      idleMs: 20,
      retentionMs: 60_000,
      round: roundOptions(schedule),
    })
    try {
      await goLive(created.id)
      await eventually(
        () => endpointOf(endpoint.id),
        (shown) => shown.disabledAt !== null,
        10_000,
      )
    } finally {
      await worker.stop()
    }
    expect(receiver.received).toHaveLength(schedule.length)
    const gaps = receiver.received
      .slice(1)
      .map((webhook, index) => webhook.receivedAt - receiver.received[index]!.receivedAt)
    gaps.forEach((gap, index) => {
      expect(gap).toBeGreaterThanOrEqual(schedule[index + 1]! - 5)
      // Not held back much longer either (generous: the test machines are shared and busy).
      expect(gap).toBeLessThan(schedule[index + 1]! + 5_000)
    })
    const disabled = await endpointOf(endpoint.id)
    expect(disabled.disabledReason).toMatch(/stopped sending/)
    expect(disabled.failingSince).not.toBeNull()
    const [failed] = await deliveriesOf(endpoint.id)
    expect(failed?.status).toBe('failed')
    expect(failed?.attempts.map((attempt) => attempt.responseStatus)).toEqual([503, 503, 503, 503])

    // A disabled endpoint gets no new events.
    const another = await createNumber(harness, owner.cookie, '415')
    await goLive(another.id, '+14155550124')
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1)

    // The receiver is back: recover everything that failed since before the outage.
    receiver.answer.status = 200
    const recover = await harness.request(`/api/webhook-endpoints/${endpoint.id}/recover`, {
      method: 'POST',
      cookie: owner.cookie,
      json: { since: new Date(Date.now() - 60_000).toISOString() },
    })
    expect(await recover.json()).toEqual({ recovered: 1 })
    expect((await endpointOf(endpoint.id)).disabledAt).toBeNull()
    await deliverUntil(roundOptions(schedule), async () => (await deliveriesOf(endpoint.id))[0]?.status === 'succeeded')
    expect(receiver.received).toHaveLength(schedule.length + 1)
    expect(verifyWithReference(endpoint.secret, receiver.received.at(-1)!).data.id).toBe(created.id)
    await unregister(endpoint.id)
  })

  test('send again repeats one delivery with the same id; a rotated secret signs alongside the old one', async () => {
    const { endpoint, created } = await endpointWithLiveNumber(200)
    await deliverUntil(roundOptions([0]), async () => receiver.received.length === 1)
    const [delivery] = await deliveriesOf(endpoint.id)

    const rotated = await harness.request(`/api/webhook-endpoints/${endpoint.id}/rotate-secret`, {
      method: 'POST',
      cookie: owner.cookie,
    })
    expect(rotated.status).toBe(200)
    const { secret: newSecret, previousSecretExpiresAt } = webhookEndpointWithSecretSchema.parse(await rotated.json())
    expect(newSecret).not.toBe(endpoint.secret)
    expect(Date.parse(previousSecretExpiresAt ?? '') - Date.now()).toBeGreaterThan(23 * 60 * 60 * 1000)

    const retry = await harness.request(`/api/webhook-deliveries/${delivery?.id}/retry`, {
      method: 'POST',
      cookie: owner.cookie,
    })
    expect(retry.status).toBe(202)
    await deliverUntil(roundOptions([0]), async () => receiver.received.length === 2)
    const again = receiver.received[1]!
    expect(again.headers['webhook-id']).toBe(delivery?.webhookId)
    expect(String(again.headers['webhook-signature']).split(' ')).toHaveLength(2)
    expect(verifyWithReference(newSecret, again).data.id).toBe(created.id)
    expect(verifyWithReference(endpoint.secret, again).data.id).toBe(created.id)
    const [resent] = await deliveriesOf(endpoint.id)
    expect(resent?.attempts).toHaveLength(2)

    // After the grace period only the new secret signs.
    await harness.db
      .updateTable('webhook_endpoint')
      .set({ previous_secret_expires_at: new Date(Date.now() - 1_000) })
      .where('id', '=', endpoint.id)
      .execute()
    await harness.request(`/api/webhook-deliveries/${delivery?.id}/retry`, { method: 'POST', cookie: owner.cookie })
    await deliverUntil(roundOptions([0]), async () => receiver.received.length === 3)
    const last = receiver.received[2]!
    expect(verifyWithReference(newSecret, last).data.id).toBe(created.id)
    expect(() => verifyWithReference(endpoint.secret, last)).toThrow()
    expect((await endpointOf(endpoint.id)).previousSecretExpiresAt).toBeNull()
    await unregister(endpoint.id)
  })

  test('another organisation sees none of it: its ids answer 404 and nothing changes', async () => {
    const endpoint = await register(receiver.url, ['phone-number.live'])
    const created = await createNumber(harness, owner.cookie, '415')
    await goLive(created.id)
    const [delivery] = await deliveriesOf(endpoint.id)
    const stranger = await harness.signUp('Stranger')
    const list = await harness.request('/api/webhook-endpoints', { cookie: stranger.cookie })
    expect(await list.json()).toEqual({ items: [] })
    for (const [method, path, json] of [
      ['DELETE', `/api/webhook-endpoints/${endpoint.id}`, undefined],
      ['POST', `/api/webhook-endpoints/${endpoint.id}/rotate-secret`, undefined],
      ['GET', `/api/webhook-endpoints/${endpoint.id}/deliveries`, undefined],
      ['POST', `/api/webhook-endpoints/${endpoint.id}/recover`, { since: '2020-01-01T00:00:00Z' }],
      ['POST', `/api/webhook-deliveries/${delivery?.id}/retry`, undefined],
      ['DELETE', '/api/webhook-endpoints/not-an-id', undefined],
    ] as const) {
      const response = await harness.request(path, {
        method,
        cookie: stranger.cookie,
        ...(json ? { json } : {}),
      })
      expect(response.status, `${method} ${path}`).toBe(404)
    }
    expect((await endpointOf(endpoint.id)).previousSecretExpiresAt).toBeNull()
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1)
    // Their numbers do not reach our endpoint either.
    const theirs = await createNumber(harness, stranger.cookie, '415')
    await goLive(theirs.id, '+14155550125')
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1)

    const unauthenticated = await harness.request('/api/webhook-endpoints')
    expect(unauthenticated.status).toBe(401)
    // A page on another site cannot register an endpoint with the owner's cookie.
    const forged = await harness.app.request('/api/webhook-endpoints', {
      method: 'POST',
      headers: { origin: 'https://evil.example', cookie: owner.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url }),
    })
    expect(forged.status).toBe(403)
  })

  test('bad input is refused with a clear error and stores nothing', async () => {
    const before = await harness.db.selectFrom('webhook_endpoint').select('id').execute()
    for (const json of [
      { url: 'ftp://example.com/hook' },
      { url: 'not a url' },
      { url: receiver.url, events: [] },
      { url: receiver.url, events: ['phone-number.exploded'] },
      { url: `http://user:pass@127.0.0.1:1/hook` },
    ]) {
      const response = await harness.request('/api/webhook-endpoints', { method: 'POST', cookie: owner.cookie, json })
      expect(response.status, JSON.stringify(json)).toBe(400)
      expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } })
    }
    expect(await harness.db.selectFrom('webhook_endpoint').select('id').execute()).toEqual(before)
  })
})

describe.each(testDatabaseKinds)('private addresses on %s', (kind) => {
  let harness: TestApp
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>

  beforeAll(async () => {
    harness = await startTestApp(kind, { allowPrivateWebhookUrls: false })
    receiver = await startWebhookReceiver()
  })
  afterAll(async () => {
    await receiver.close()
    await harness.close()
  })

  test('are refused at registration unless the deployment allows them', async () => {
    const owner = await harness.signUp('Careful')
    for (const url of [
      receiver.url,
      receiver.url.replace('127.0.0.1', 'localhost'),
      'http://[::1]:8080/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.7/hook',
      'http://192.168.1.1/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0.0.0.0:3000/hook',
    ]) {
      const response = await harness.request('/api/webhook-endpoints', {
        method: 'POST',
        cookie: owner.cookie,
        json: { url },
      })
      expect(response.status, url).toBe(400)
      expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } })
    }
    expect(await harness.db.selectFrom('webhook_endpoint').select('id').execute()).toEqual([])
  })

  test('are refused again at send time, so a name that later resolves privately reaches nothing', async () => {
    const owner = await harness.signUp('Rebound')
    // Registered while private addresses were allowed (or while the name still resolved publicly).
    const allowing = { ...harness.outboundWebhooks, addressPolicy: { allowPrivateAddresses: true } }
    const { registerWebhookEndpoint } = await import('./register-webhook-endpoint.ts')
    const endpoint = await registerWebhookEndpoint(allowing, {
      organizationId: owner.organizationId,
      url: receiver.url.replace('127.0.0.1', 'localhost'),
      events: ['phone-number.updated'],
    })
    await createNumber(harness, owner.cookie, '415')
    await deliverDueWebhooks(harness.outboundWebhooks, roundOptions([0]))
    expect(receiver.received).toHaveLength(0)
    const response = await harness.request(`/api/webhook-endpoints/${endpoint.id}/deliveries`, { cookie: owner.cookie })
    const [delivery] = webhookDeliveryListSchema.parse(await response.json()).items
    expect(delivery?.status).toBe('failed')
    expect(delivery?.attempts[0]).toMatchObject({ responseStatus: null, isSuccess: false })
    expect(delivery?.attempts[0]?.responseExcerpt).toMatch(/private, loopback or link-local/)
  })
})
