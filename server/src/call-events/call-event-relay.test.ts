import { assistantListSchema } from '@dialtone/shared/assistants'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  callMessage,
  finishedCall,
  forwardUntil,
  liveNumber,
  placeTestCall,
  putCallEvents,
  quickForwardOptions,
  serverUrlAtSandbox,
} from '../../test/support/call-events-kit.ts'
import { postWebhook } from '../../test/support/provisioning-test-kit.ts'
import { startWebhookReceiver } from '../../test/support/start-webhook-receiver.ts'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { verifyVapiWebhook } from '../vapi/verify-vapi-webhook.ts'

const orgSecret = 'the-organisations-own-hmac-secret'
const relayTimeoutMs = 800

describe.each(testDatabaseKinds)('the call-event relay on %s', (kind) => {
  let harness: TestApp
  let owner: Awaited<ReturnType<TestApp['signUp']>>
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
  let assistants: { id: string }[]

  beforeAll(async () => {
    harness = await startTestApp(kind, { env: { CALL_EVENTS_RELAY_TIMEOUT_MS: String(relayTimeoutMs) } })
    owner = await harness.signUp('Relayed')
    receiver = await startWebhookReceiver()
    assistants = assistantListSchema.parse(
      await (await harness.request('/api/assistants', { cookie: owner.cookie })).json(),
    ).items
  })
  afterAll(async () => {
    await receiver.close()
    await harness.close()
  })

  const callEvents = () => harness.server.callEvents
  const isSignedByOrg = (webhook: { headers: Record<string, unknown>; rawBody: string }) =>
    verifyVapiWebhook({
      mode: 'hmac',
      secret: orgSecret,
      headers: new Headers(
        Object.entries(webhook.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])),
      ),
      rawBody: new TextEncoder().encode(webhook.rawBody),
      now: new Date(),
    }).isValid

  test('turning on routes the numbers to dialtone; the organisation’s server answers the assistant-request, signed as it expects; every other message follows in order; turning off restores the routing', async () => {
    const number = await liveNumber(harness, owner.cookie)
    const vapiId = number.vapiPhoneNumberId ?? ''
    const before = await serverUrlAtSandbox(harness, vapiId)
    expect(before).toMatch(/\/webhooks\/vapi\?attempt=/)

    const chosen = assistants[1]?.id ?? ''
    const fallback = assistants[2]?.id ?? ''
    receiver.answer.body = JSON.stringify({ assistantId: chosen })
    const on = await putCallEvents(harness, owner.cookie, {
      enabled: true,
      forwardUrl: receiver.url,
      forwardAuth: { type: 'hmac', secret: orgSecret },
      fallbackAssistantId: fallback,
    })
    expect(on.response.status, on.text).toBe(200)
    expect(on.settings).toMatchObject({
      enabled: true,
      forwardUrl: receiver.url,
      forwardAuth: { type: 'hmac', hint: '••••cret' },
      fallbackAssistantId: fallback,
      routedNumbers: 1,
    })
    expect(on.text).not.toContain(orgSecret)
    expect(await serverUrlAtSandbox(harness, vapiId)).toBe(`${harness.baseUrl}/webhooks/vapi`)
    const shown = await harness.request('/api/call-events', { cookie: owner.cookie })
    expect(await shown.text()).not.toContain(orgSecret)

    const placed = await placeTestCall(harness, owner.cookie, number.id, { durationMs: 200 })
    const call = await finishedCall(harness, ((await placed.json()) as { callId: string }).callId)
    // The organisation's answer reached Vapi unchanged: the call went on with the assistant it named.
    expect(call.assistantId).toBe(chosen)
    expect(call.endedReason).toBe('customer-ended-call')
    expect(receiver.received[0]?.rawBody).toContain('"assistant-request"')

    await forwardUntil(callEvents(), quickForwardOptions, () => receiver.received.length >= call.messages.length)
    const forwarded = receiver.received.map((webhook) => JSON.parse(webhook.rawBody) as { message: { type: string } })
    expect(forwarded.map((body) => body.message.type)).toEqual(call.messages.map((message) => message.type))
    expect(receiver.received.every(isSignedByOrg)).toBe(true)
    // Forwarding passes the original on (transcripts included); what dialtone keeps has none.
    expect(receiver.received.some((webhook) => webhook.rawBody.includes('opening hours'))).toBe(true)
    const kept = await harness.db.selectFrom('call_event').select(['payload', 'relay', 'forward_body']).execute()
    expect(kept.length).toBe(call.messages.length)
    expect(JSON.stringify(kept.map((row) => row.payload))).not.toMatch(/opening hours|recordingUrl/)
    expect(kept.every((row) => row.forward_body === null)).toBe(true)
    expect(kept.map((row) => row.relay).sort()).toEqual(
      ['answered', ...Array.from({ length: call.messages.length - 1 }, () => 'sent')].sort(),
    )

    const off = await putCallEvents(harness, owner.cookie, { enabled: false })
    expect(off.settings).toMatchObject({ enabled: false, routedNumbers: 0 })
    expect(await serverUrlAtSandbox(harness, vapiId)).toBe(before)
    const audit = await harness.db
      .selectFrom('audit_event')
      .select(['action', 'details'])
      .where('organization_id', '=', owner.organizationId)
      .where('action', '=', 'call-events.update')
      .execute()
    expect(audit).toHaveLength(2)
    expect(JSON.stringify(audit)).not.toContain(orgSecret)
  })

  test('a slow organisation’s server: Vapi gets the fallback assistant within the relay timeout', async () => {
    const number = await liveNumber(harness, owner.cookie)
    const fallback = assistants[2]?.id ?? ''
    await putCallEvents(harness, owner.cookie, {
      enabled: true,
      forwardUrl: receiver.url,
      forwardAuth: { type: 'bearer', token: 'org-bearer-token' },
      fallbackAssistantId: fallback,
    })
    receiver.answer.delayMs = 3_000
    try {
      const startedAt = performance.now()
      const response = await postWebhook(
        harness,
        callMessage(number.vapiPhoneNumberId ?? '', 'slow-call', 'assistant-request'),
      )
      const tookMs = performance.now() - startedAt
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ assistantId: fallback })
      expect(tookMs).toBeLessThan(relayTimeoutMs + 1_000)
      expect(tookMs).toBeGreaterThanOrEqual(relayTimeoutMs - 50)
      expect(receiver.received.at(-1)?.headers.authorization).toBe('Bearer org-bearer-token')
    } finally {
      receiver.answer.delayMs = 0
    }
  })

  test('a failing organisation’s server: the fallback at once; with no fallback assistant, an error Vapi speaks', async () => {
    const number = await liveNumber(harness, owner.cookie)
    await putCallEvents(harness, owner.cookie, {
      enabled: true,
      forwardUrl: receiver.url,
      forwardAuth: { type: 'secret', secret: 'x-vapi-secret-value' },
      fallbackAssistantId: null,
    })
    receiver.answer.status = 500
    try {
      const response = await postWebhook(
        harness,
        callMessage(number.vapiPhoneNumberId ?? '', 'down-call', 'assistant-request'),
      )
      const answer = (await response.json()) as { error?: string }
      expect(answer.error).toMatch(/cannot take your call/)
      expect(receiver.received.at(-1)?.headers['x-vapi-secret']).toBe('x-vapi-secret-value')
      const tools = await postWebhook(harness, callMessage(number.vapiPhoneNumberId ?? '', 'down-call', 'tool-calls'))
      expect(await tools.json()).toHaveProperty('error')
    } finally {
      receiver.answer.status = 200
    }
    receiver.answer.body = JSON.stringify({ results: [{ toolCallId: 't1', result: 'done' }] })
    const tools = await postWebhook(
      harness,
      callMessage(number.vapiPhoneNumberId ?? '', 'up-call', 'tool-calls', { toolCallList: [{ id: 't1' }] }),
    )
    expect(await tools.text()).toBe(receiver.answer.body)
  })
})
