import { assistantListSchema } from '@dialtone/shared/assistants'
import { phoneNumberSchema } from '@dialtone/shared/phone-number'
import { serverInfoSchema } from '@dialtone/shared/server-info'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { finishedCall, liveNumber, placeTestCall, putCallEvents } from '../../test/support/call-events-kit.ts'
import { eventually, phoneNumberRow, postWebhook } from '../../test/support/provisioning-test-kit.ts'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { toPhoneNumber } from '../provisioning/phone-number-mapper.ts'

describe.each(testDatabaseKinds)('call activity on %s', (kind) => {
  let harness: TestApp
  let owner: Awaited<ReturnType<TestApp['signUp']>>
  let other: Awaited<ReturnType<TestApp['signUp']>>

  beforeAll(async () => {
    harness = await startTestApp(kind)
    owner = await harness.signUp('Caller')
    other = await harness.signUp('Bystander')
  })
  afterAll(async () => {
    await harness.close()
  })

  const activityStatesOf = (phoneNumberId: string) =>
    harness.activityEvents
      .filter((event) => event.phoneNumber.id === phoneNumberId)
      .map((event) => event.phoneNumber.activity.state)
      .filter((state, index, states) => index === 0 || states[index - 1] !== state)

  test('server-info tells the dashboard it may place test calls and where the sandbox answers', async () => {
    const info = serverInfoSchema.parse(await (await harness.request('/api/server-info')).json())
    expect(info.isSandbox).toBe(true)
    expect(info.canPlaceTestCalls).toBe(true)
    const held = await fetch(`${info.sandboxUrl ?? 'http://127.0.0.1:9'}/_sandbox/phone-numbers`)
    expect(held.status).toBe(200)
    expect(Array.isArray(await held.json())).toBe(true)
  })

  test('a sandbox test call turns the number ringing, then on a call, then idle with the call counted, told to its organisation only', async () => {
    const number = await liveNumber(harness, owner.cookie, 'Front desk line')
    // A number with no assistant: the sandbox asks dialtone (its server) with an assistant-request first.
    const assistants = assistantListSchema.parse(
      await (await harness.request('/api/assistants', { cookie: owner.cookie })).json(),
    )
    const fallbackAssistantId = assistants.items[0]?.id ?? ''
    expect((await putCallEvents(harness, owner.cookie, { enabled: false, fallbackAssistantId })).response.status).toBe(
      200,
    )

    const placed = await placeTestCall(harness, owner.cookie, number.id, { durationMs: 600 })
    expect(placed.status, await placed.clone().text()).toBe(202)
    const { callId } = (await placed.json()) as { callId: string }

    const ringing = await eventually(
      () => phoneNumberRow(harness, number.id),
      (row) => row.call_state !== 'idle',
    )
    expect(['ringing', 'in-call']).toContain(ringing.call_state)

    const call = await finishedCall(harness, callId)
    expect(call.assistantId).toBe(fallbackAssistantId)
    expect(call.messages.map((message) => message.type)).toEqual([
      'assistant-request',
      'status-update',
      'status-update',
      'status-update',
      ...Array.from({ length: 4 }, () => [
        'speech-update',
        'transcript',
        'speech-update',
        'conversation-update',
      ]).flat(),
      'status-update',
      'end-of-call-report',
    ])
    expect(call.messages.every((message) => message.httpStatus === 200)).toBe(true)

    const shown = phoneNumberSchema.parse(
      await (await harness.request(`/api/phone-numbers/${number.id}`, { cookie: owner.cookie })).json(),
    )
    expect(shown.activity).toMatchObject({
      state: 'idle',
      callStartedAt: null,
      lastEndedReason: 'customer-ended-call',
      callsToday: 1,
      failing: false,
    })
    expect(shown.activity.answeredFirstCallAt).not.toBeNull()
    expect(shown.activity.lastCallAt).not.toBeNull()
    expect(shown.version).toBeGreaterThan(number.version)

    expect(activityStatesOf(number.id)).toEqual(['ringing', 'in-call', 'idle'])
    const told = harness.activityEvents.filter((event) => event.phoneNumber.id === number.id)
    expect(new Set(told.map((event) => event.organizationId))).toEqual(new Set([owner.organizationId]))
    expect(harness.activityEvents.some((event) => event.organizationId === other.organizationId)).toBe(false)
    // Versions only grow, so a browser can ignore an event older than what it shows.
    const versions = told.map((event) => event.phoneNumber.version)
    expect(versions).toEqual([...versions].sort((a, b) => a - b))

    // A second call counts too; the first answered call stays the first.
    const second = await placeTestCall(harness, owner.cookie, number.id, {
      durationMs: 0,
      endedReason: 'assistant-error',
    })
    await finishedCall(harness, ((await second.json()) as { callId: string }).callId)
    const after = await phoneNumberRow(harness, number.id)
    expect(after).toMatchObject({ call_state: 'idle', calls_today: 2, last_ended_reason: 'assistant-error' })
    expect(after.answered_first_call_at).toEqual(new Date(shown.activity.answeredFirstCallAt ?? ''))
  })

  test('replayed and out-of-order messages change nothing that already happened', async () => {
    const number = await liveNumber(harness, owner.cookie)
    const vapiId = number.vapiPhoneNumberId ?? ''
    const message = (status: string, timestamp: number, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        message: {
          type: 'status-update',
          status,
          timestamp,
          phoneNumber: { id: vapiId },
          call: { id: 'call-replay-1', phoneNumberId: vapiId },
          ...extra,
        },
      })
    const start = Date.now()
    for (const body of [message('ringing', start), message('in-progress', start + 1000)]) {
      expect((await postWebhook(harness, body)).status).toBe(200)
    }
    const inCall = await phoneNumberRow(harness, number.id)
    expect(inCall.call_state).toBe('in-call')
    const eventsBefore = harness.activityEvents.length

    // The same message again, and an older one arriving late: nothing moves, nothing is told.
    expect((await postWebhook(harness, message('in-progress', start + 1000))).status).toBe(200)
    expect((await postWebhook(harness, message('ringing', start))).status).toBe(200)
    expect((await postWebhook(harness, message('queued', start - 500))).status).toBe(200)
    expect(await phoneNumberRow(harness, number.id)).toEqual(inCall)
    expect(harness.activityEvents.length).toBe(eventsBefore)

    // A call that never says it ended does not show as on a call for ever.
    expect(toPhoneNumber(inCall, new Date(start + 3 * 3_600_000)).activity.state).toBe('in-call')
    expect(toPhoneNumber(inCall, new Date(start + 5 * 3_600_000)).activity).toMatchObject({
      state: 'idle',
      callStartedAt: null,
    })

    const ended = message('ended', start + 5000, { endedReason: 'customer-ended-call' })
    expect((await postWebhook(harness, ended)).status).toBe(200)
    const idle = await phoneNumberRow(harness, number.id)
    expect(idle).toMatchObject({ call_state: 'idle', calls_today: 1, last_ended_reason: 'customer-ended-call' })
    // An in-progress that was late after the end does not reopen the call.
    expect((await postWebhook(harness, message('in-progress', start + 1000, { transcriptType: 'x' }))).status).toBe(200)
    expect((await postWebhook(harness, ended)).status).toBe(200)
    expect(await phoneNumberRow(harness, number.id)).toEqual(idle)
  })

  test('a number whose latest calls all end broken is flagged; a good call clears the flag', async () => {
    const number = await liveNumber(harness, owner.cookie)
    const vapiId = number.vapiPhoneNumberId ?? ''
    const end = (callId: string, endedReason: string) =>
      postWebhook(
        harness,
        JSON.stringify({
          message: {
            type: 'end-of-call-report',
            endedReason,
            timestamp: Date.now(),
            phoneNumber: { id: vapiId },
            call: { id: callId, phoneNumberId: vapiId },
          },
        }),
      )
    await end('broken-1', 'pipeline-error-openai-llm-failed')
    await end('broken-2', 'twilio-failed-to-connect-call')
    expect((await phoneNumberRow(harness, number.id)).call_failing).toBe(false)
    await end('broken-3', 'assistant-request-failed')
    expect((await phoneNumberRow(harness, number.id)).call_failing).toBe(true)
    const flagged = harness.activityEvents.filter((event) => event.phoneNumber.id === number.id).at(-1)
    expect(flagged?.phoneNumber.activity.failing).toBe(true)
    await end('fine-1', 'customer-ended-call')
    expect((await phoneNumberRow(harness, number.id)).call_failing).toBe(false)
  })

  test('test calls: another organisation’s number is 404, a number not yet live is 409, a bad body is 400', async () => {
    const number = await liveNumber(harness, owner.cookie)
    expect((await placeTestCall(harness, other.cookie, number.id)).status).toBe(404)
    const pending = await harness.request('/api/phone-numbers', {
      method: 'POST',
      cookie: owner.cookie,
      json: { areaCode: '534' },
    })
    const pendingId = ((await pending.json()) as { id: string }).id
    expect((await placeTestCall(harness, owner.cookie, pendingId)).status).toBe(409)
    const bad = await placeTestCall(harness, owner.cookie, number.id, { durationMs: -1 })
    expect(bad.status).toBe(400)
    const row = await phoneNumberRow(harness, number.id)
    expect(row.calls_today).toBe(0)
  })
})
