import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  callMessage,
  forwardUntil,
  liveNumber,
  putCallEvents,
  quickForwardOptions,
} from '../../test/support/call-events-kit.ts'
import { postWebhook } from '../../test/support/provisioning-test-kit.ts'
import { startWebhookReceiver } from '../../test/support/start-webhook-receiver.ts'
import { startTestApp } from '../../test/support/test-app.ts'
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../test/support/test-databases.ts'
import { forwardDueCallEvents } from './forward-due-call-events.ts'
import { handleCallMessage } from './handle-call-message.ts'

type Sent = { message: { type: string; status?: string; call: { id: string } } }

describe.each(testDatabaseKinds)('forwarding call events on %s', (kind) => {
  let database: TestDatabase
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
  let otherReceiver: Awaited<ReturnType<typeof startWebhookReceiver>>

  beforeAll(async () => {
    database = await createTestDatabase(kind)
    receiver = await startWebhookReceiver({ status: 503 })
    otherReceiver = await startWebhookReceiver()
  })
  afterAll(async () => {
    await receiver.close()
    await otherReceiver.close()
    await database.close()
  })

  test('every message reaches the organisation’s server exactly once and in order per call, through failures and a restart of dialtone mid-queue; other organisations never see it', async () => {
    const first = await startTestApp(kind, { database })
    const owner = await first.signUp('Queued')
    const other = await first.signUp('Elsewhere')
    const number = await liveNumber(first, owner.cookie)
    const otherNumber = await liveNumber(first, other.cookie)
    const vapiId = number.vapiPhoneNumberId ?? ''
    await putCallEvents(first, owner.cookie, {
      enabled: true,
      forwardUrl: receiver.url,
      forwardAuth: { type: 'bearer', token: 'queued-org-token' },
    })
    await putCallEvents(first, other.cookie, {
      enabled: true,
      forwardUrl: otherReceiver.url,
      forwardAuth: { type: 'bearer', token: 'other-org-token' },
    })

    const statuses = ['queued', 'ringing', 'in-progress', 'ended']
    const calls = ['call-a', 'call-b']
    // Interleaved as two calls at once would arrive.
    for (const status of statuses) {
      for (const callId of calls) {
        const body = callMessage(vapiId, callId, 'status-update', {
          status,
          ...(status === 'ended' ? { endedReason: 'customer-ended-call' } : {}),
        })
        expect((await postWebhook(first, body)).status).toBe(200)
      }
    }
    expect(await first.db.selectFrom('call_event').select('id').where('relay', '=', 'queued').execute()).toHaveLength(8)

    // The organisation's server is down: only the first message of each call is tried, again and again.
    for (let round = 0; round < 5; round++) {
      await forwardDueCallEvents(first.server.callEvents, quickForwardOptions)
      await new Promise((resolve) => setTimeout(resolve, 30))
    }
    const tried = receiver.received.map((webhook) => (JSON.parse(webhook.rawBody) as Sent).message.status)
    expect(tried.length).toBeGreaterThanOrEqual(4)
    expect(new Set(tried)).toEqual(new Set(['queued']))

    await first.close()

    // dialtone starts again on the same database; the server is back.
    const second = await startTestApp(kind, { database })
    try {
      receiver.answer.status = 200
      await forwardUntil(
        second.server.callEvents,
        quickForwardOptions,
        () => receiver.received.filter((webhook) => webhook.answeredStatus === 200).length >= 8,
      )
      await forwardDueCallEvents(second.server.callEvents, quickForwardOptions)
      const delivered = receiver.received
        .filter((webhook) => webhook.answeredStatus === 200)
        .map((webhook) => (JSON.parse(webhook.rawBody) as Sent).message)
      for (const callId of calls) {
        expect(delivered.filter((message) => message.call.id === callId).map((message) => message.status)).toEqual(
          statuses,
        )
      }
      expect(delivered).toHaveLength(8)
      expect(receiver.received.every((webhook) => webhook.headers.authorization === 'Bearer queued-org-token')).toBe(
        true,
      )
      expect(otherReceiver.received).toHaveLength(0)
      const rows = await second.db.selectFrom('call_event').select(['relay', 'organization_id']).execute()
      expect(rows.every((row) => row.relay === 'sent' && row.organization_id === owner.organizationId)).toBe(true)

      // Processing a message again (the inbound log's replay) stores and forwards nothing twice.
      const replayed = await handleCallMessage(second.server.callEvents, {
        rawBody: new TextEncoder().encode(callMessage(vapiId, 'call-a', 'status-update', { status: 'ringing' })),
        isReplay: true,
      })
      expect(replayed.isQueued).toBe(true)
      const countBefore = (await second.db.selectFrom('call_event').select('id').execute()).length
      // An old "ended" never seen before, then the same message as the log keeps it (another transcript field).
      const replayEnded = (extra: Record<string, unknown>) =>
        handleCallMessage(second.server.callEvents, {
          rawBody: new TextEncoder().encode(
            JSON.stringify({
              message: {
                type: 'status-update',
                status: 'ended',
                timestamp: 1,
                phoneNumber: { id: vapiId },
                call: { id: 'call-a' },
                ...extra,
              },
            }),
          ),
          isReplay: true,
        })
      const again = await replayEnded({})
      const againTwice = await replayEnded({ transcript: 'redacted in the log' })
      expect([again.outcome, again.isQueued]).toEqual(['unchanged', true])
      expect([againTwice.outcome, againTwice.isQueued]).toEqual(['unchanged', false])
      expect((await second.db.selectFrom('call_event').select('id').execute()).length).toBe(countBefore + 1)
      const receivedBefore = receiver.received.length
      const question = callMessage(vapiId, 'call-a', 'assistant-request')
      const replayedQuestion = await handleCallMessage(second.server.callEvents, {
        rawBody: new TextEncoder().encode(question),
        isReplay: true,
      })
      expect(replayedQuestion.outcome).toBe('replayed')
      expect(receiver.received.length).toBe(receivedBefore)

      // An organisation that did not opt in: its call messages move its numbers, and nothing is stored.
      await putCallEvents(second, other.cookie, { enabled: false })
      const otherVapiId = otherNumber.vapiPhoneNumberId ?? ''
      await postWebhook(second, callMessage(otherVapiId, 'call-x', 'status-update', { status: 'ringing' }))
      await postWebhook(second, callMessage(otherVapiId, 'call-x', 'transcript', { transcript: 'hello' }))
      const stored = await second.db
        .selectFrom('call_event')
        .select('id')
        .where('organization_id', '=', other.organizationId)
        .execute()
      expect(stored).toHaveLength(0)
      const otherRow = await second.db
        .selectFrom('phone_number')
        .select('call_state')
        .where('id', '=', otherNumber.id)
        .executeTakeFirstOrThrow()
      expect(otherRow.call_state).toBe('ringing')
    } finally {
      await second.close()
    }
  })

  test('the organisation’s server refusing connections, then answering after the timeout: each message is recorded sent once, in order', async () => {
    const app = await startTestApp(kind, { database })
    const flaky = await startWebhookReceiver()
    try {
      const owner = await app.signUp('Flaky')
      const number = await liveNumber(app, owner.cookie)
      const vapiId = number.vapiPhoneNumberId ?? ''
      await putCallEvents(app, owner.cookie, {
        enabled: true,
        forwardUrl: flaky.url,
        forwardAuth: { type: 'bearer', token: 'flaky-org-token' },
      })
      const statuses = ['ringing', 'in-progress', 'ended']
      for (const status of statuses) {
        const body = callMessage(vapiId, 'call-f', 'status-update', {
          status,
          ...(status === 'ended' ? { endedReason: 'customer-ended-call' } : {}),
        })
        expect((await postWebhook(app, body)).status).toBe(200)
      }
      const rows = () =>
        app.db
          .selectFrom('call_event')
          .select(['relay', 'attempt_count', 'last_error'])
          .where('organization_id', '=', owner.organizationId)
          .orderBy('received_at')
          .execute()

      // Nothing listens: connections refused, the first message tried again and again, none marked sent.
      await flaky.pause()
      for (let round = 0; round < 3; round++) {
        await forwardDueCallEvents(app.server.callEvents, quickForwardOptions)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      const refused = await rows()
      expect(refused.every((row) => row.relay !== 'sent')).toBe(true)
      const tried = refused.filter((row) => row.attempt_count > 0)
      // Only the call's first message is tried while it is not through (order per call).
      expect(tried).toHaveLength(1)
      expect(tried[0]?.attempt_count).toBeGreaterThanOrEqual(2)
      expect(tried[0]?.last_error).toMatch(/ECONNREFUSED|connect|fetch failed/i)

      // Back, but slower than dialtone waits: that attempt fails though the message arrived.
      await flaky.resume()
      flaky.answer.delayMs = 1_000
      const impatient = { ...quickForwardOptions, timeoutMs: 300 }
      await forwardDueCallEvents(app.server.callEvents, impatient)
      expect(flaky.received).toHaveLength(1)
      expect((await rows()).every((row) => row.relay !== 'sent')).toBe(true)

      flaky.answer.delayMs = 0
      await forwardUntil(app.server.callEvents, impatient, async () =>
        (await rows()).every((row) => row.relay === 'sent'),
      )
      await forwardDueCallEvents(app.server.callEvents, impatient)
      const arrived = flaky.received.map((webhook) => (JSON.parse(webhook.rawBody) as Sent).message.status)
      // The late-answered first message arrived twice (dialtone could not know the first got there), then each once,
      // in order; dialtone recorded each as sent once.
      expect(arrived).toEqual(['ringing', 'ringing', 'in-progress', 'ended'])
      const settled = await rows()
      expect(settled.map((row) => row.relay)).toEqual(['sent', 'sent', 'sent'])
    } finally {
      await flaky.close().catch(() => {})
      await app.close()
    }
  })
})
