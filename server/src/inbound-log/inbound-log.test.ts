import { randomUUID } from 'node:crypto'
import { webhookLogResponseSchema, type InboundMessage } from '@dialtone/shared/webhook-log'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import {
  createNumber,
  eventsFor,
  phoneNumberRow,
  postWebhook,
  statusMessage,
} from '../../test/support/provisioning-test-kit.ts'
import { finishedCall, liveNumber, placeTestCall, putCallEvents } from '../../test/support/call-events-kit.ts'
import { startWebhookReceiver } from '../../test/support/start-webhook-receiver.ts'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { vapiIdOf } from '../../test/support/vapi-id-of.ts'
import { grantPlatformAdmin } from '../auth/organization-repository.ts'
import { createLogger } from '../lib/logger.ts'
import { deliveryIdOf } from '../provisioning/ingest-vapi-webhook.ts'
import { startInboundLogPruner } from './inbound-log-worker.ts'
import { updateInboundMessageRelay } from './inbound-message-repository.ts'
import { recordInboundMessage } from './record-inbound-message.ts'

type Owner = Awaited<ReturnType<TestApp['signUp']>>

async function logOf(harness: TestApp, owner: Owner, search = ''): Promise<z.infer<typeof webhookLogResponseSchema>> {
  const response = await harness.request(`/api/webhook-log${search}`, { cookie: owner.cookie })
  expect(response.status, await response.clone().text()).toBe(200)
  return webhookLogResponseSchema.parse(await response.json())
}

async function newestOf(harness: TestApp, owner: Owner, search = '?limit=1'): Promise<InboundMessage> {
  const [first] = (await logOf(harness, owner, search)).items
  if (!first) throw new Error('the log is empty')
  return first
}

/** A Vapi call message about a number, with the content the log leaves out by default. */
function callMessage(vapiPhoneNumberId: string, type = 'end-of-call-report') {
  return JSON.stringify({
    message: {
      type,
      timestamp: Date.now(),
      phoneNumber: { id: vapiPhoneNumberId },
      call: { id: `call-${randomUUID()}`, phoneNumberId: vapiPhoneNumberId },
      endedReason: 'customer-ended-call',
      artifact: {
        transcript: 'AI: Hello. User: my card number is 4111…',
        messages: [{ role: 'user', message: 'hello' }],
        recordingUrl: 'https://storage.vapi.ai/recording.wav',
      },
      assistant: { server: { url: 'https://example.com', headers: { Authorization: 'Bearer sk_live_abcdefghijk' } } },
    },
  })
}

describe.each(testDatabaseKinds)('the inbound webhook log on %s', (kind) => {
  let harness: TestApp
  let owner: Owner
  let other: Owner
  let admin: Owner

  beforeAll(async () => {
    harness = await startTestApp(kind)
    owner = await harness.signUp('Owner')
    other = await harness.signUp('Other')
    admin = await harness.signUp('Admin')
    await grantPlatformAdmin(harness.db, admin.email)
  })
  afterAll(async () => {
    await harness.close()
  })

  test('a verified message is recorded with its organisation, number, outcome and headers minus credentials', async () => {
    const created = await createNumber(harness, owner.cookie, '415')
    const body = statusMessage({ id: vapiIdOf(created), status: 'active', number: '+14155550111' })
    const response = await postWebhook(harness, body, { messageId: 'log-ok-1' })
    expect(response.status).toBe(200)

    const logged = await newestOf(harness, owner)
    expect(logged).toMatchObject({
      source: 'vapi',
      type: 'phone-number-status-update',
      organizationId: owner.organizationId,
      phoneNumberId: created.id,
      number: '+14155550111',
      verification: 'ok',
      outcome: 'transitioned',
      httpStatus: 200,
      relay: null,
      reprocessCount: 0,
    })
    expect(logged.headers['x-message-id']).toBe('log-ok-1')
    expect(logged.headers['x-timestamp']).toMatch(/^\d+$/)
    expect(Object.keys(logged.headers)).not.toContain('x-signature')
    expect(logged.payload).toEqual(JSON.parse(body))
    expect(logged.handlingMs).toBeGreaterThanOrEqual(0)
  })

  test('refused messages are recorded with why, but belong to no organisation: only platform admins see them', async () => {
    const created = await createNumber(harness, owner.cookie, '415')
    const body = statusMessage({ id: vapiIdOf(created), status: 'active', number: '+14155550112' })
    const forged = await postWebhook(harness, body, { secret: 'not-the-secret', messageId: 'forged-1' })
    expect(forged.status).toBe(401)
    const unsigned = await postWebhook(harness, body, { headers: {}, messageId: 'unsigned-1' })
    expect(unsigned.status).toBe(401)
    const stale = await postWebhook(harness, body, { timestampMs: Date.now() - 10 * 60_000, messageId: 'stale-1' })
    expect(stale.status).toBe(401)

    // Nothing of them in the owner's log (the number named is the owner's, but anyone could have named it).
    const ownLog = await logOf(harness, owner, '?limit=200')
    expect(ownLog.items.filter((item) => item.verification !== 'ok')).toEqual([])
    expect((await phoneNumberRow(harness, created.id)).status).toBe('pending')

    const refused = await logOf(harness, admin, '?all=true&outcome=refused&limit=200')
    const byMessageId = (id: string) => refused.items.find((item) => item.headers['x-message-id'] === id)
    expect(byMessageId('forged-1')).toMatchObject({
      verification: 'bad-signature',
      organizationId: null,
      phoneNumberId: null,
      outcome: 'refused',
      httpStatus: 401,
      type: 'phone-number-status-update',
    })
    // The body of a forged message is kept for the admins (it was read to check the signature)...
    expect(byMessageId('forged-1')?.payload).toEqual(JSON.parse(body))
    // ...one refused on its headers alone was never read.
    expect(byMessageId('unsigned-1')).toMatchObject({ verification: 'missing-credentials', payload: null })
    expect(byMessageId('stale-1')).toMatchObject({ verification: 'stale', payload: null })

    const notAdmin = await harness.request('/api/webhook-log?all=true', { cookie: owner.cookie })
    expect(notAdmin.status).toBe(403)
  })

  test('organisations see only their own messages, and cannot reprocess another’s', async () => {
    const mine = await createNumber(harness, owner.cookie, '415')
    const theirs = await createNumber(harness, other.cookie, '415')
    await postWebhook(harness, statusMessage({ id: vapiIdOf(mine), status: 'pending' }))
    await postWebhook(harness, statusMessage({ id: vapiIdOf(theirs), status: 'pending' }))

    const ownerLog = await logOf(harness, owner, '?limit=200')
    const otherLog = await logOf(harness, other, '?limit=200')
    expect(ownerLog.items.every((item) => item.organizationId === owner.organizationId)).toBe(true)
    expect(otherLog.items.map((item) => item.phoneNumberId)).toEqual([theirs.id])
    const [theirMessage] = otherLog.items
    const stolen = await harness.request(`/api/webhook-log/${theirMessage?.id}/reprocess`, {
      method: 'POST',
      cookie: owner.cookie,
    })
    expect(stolen.status).toBe(404)
    // A message about nobody's number is no organisation's either.
    await postWebhook(harness, statusMessage({ id: `unknown-${randomUUID()}`, status: 'active' }))
    const unknown = await newestOf(harness, admin, '?all=true&limit=1')
    expect(unknown).toMatchObject({ organizationId: null, outcome: 'not-ours', verification: 'ok' })
  })

  test('filters by type, outcome, number and time, and pages with a cursor', async () => {
    const viewer = await harness.signUp('Filterer')
    const created = await createNumber(harness, viewer.cookie, '212')
    const vapiId = vapiIdOf(created)
    // A millisecond apart from the messages, so a bound that falls on the same millisecond cannot include one.
    const before = new Date(Date.now() - 1).toISOString()
    for (let index = 0; index < 5; index++) {
      await postWebhook(harness, callMessage(vapiId, index % 2 === 0 ? 'status-update' : 'end-of-call-report'))
    }
    await postWebhook(harness, statusMessage({ id: vapiId, status: 'active', number: '+12125550100' }))
    await new Promise((resolve) => setTimeout(resolve, 2))
    const after = new Date().toISOString()

    expect((await logOf(harness, viewer, '?type=status-update')).items).toHaveLength(3)
    expect((await logOf(harness, viewer, '?outcome=transitioned')).items).toHaveLength(1)
    expect((await logOf(harness, viewer, `?phoneNumberId=${created.id}`)).items).toHaveLength(6)
    expect((await logOf(harness, viewer, `?from=${encodeURIComponent(after)}`)).items).toHaveLength(0)
    expect((await logOf(harness, viewer, `?to=${encodeURIComponent(before)}`)).items).toHaveLength(0)

    const first = await logOf(harness, viewer, '?limit=4')
    expect(first.items).toHaveLength(4)
    expect(first.nextCursor).not.toBeNull()
    const second = await logOf(harness, viewer, `?limit=4&cursor=${first.nextCursor}`)
    expect(second.items).toHaveLength(2)
    expect(second.nextCursor).toBeNull()
    expect(new Set([...first.items, ...second.items].map((item) => item.id)).size).toBe(6)
    // Newest first.
    expect(first.items[0]?.type).toBe('phone-number-status-update')

    const bad = await harness.request('/api/webhook-log?cursor=abc', { cookie: viewer.cookie })
    expect(bad.status).toBe(400)
  })

  test('call content and credentials are left out of the stored payload; the relay reports on a row', async () => {
    const created = await createNumber(harness, owner.cookie, '415')
    await postWebhook(harness, callMessage(vapiIdOf(created)))
    const logged = await newestOf(harness, owner)
    const message = z
      .object({
        message: z.object({
          artifact: z.record(z.string(), z.unknown()),
          assistant: z.object({ server: z.object({ headers: z.record(z.string(), z.string()) }) }),
          endedReason: z.string(),
        }),
      })
      .parse(logged.payload).message
    expect(message.artifact).toEqual({ transcript: '[redacted]', messages: '[redacted]', recordingUrl: '[redacted]' })
    expect(message.assistant.server.headers).toEqual({ Authorization: '[redacted]' })
    expect(message.endedReason).toBe('customer-ended-call')
    expect(logged.redactions).toEqual(
      expect.arrayContaining(['message.artifact.transcript', 'message.assistant.server.headers.Authorization']),
    )
    expect(JSON.stringify(logged)).not.toContain('sk_live')
    expect(JSON.stringify(logged)).not.toContain('4111')
    expect(logged.callId).toMatch(/^call-/)

    // The relay may report before or after the row: an upsert either way.
    await updateInboundMessageRelay(harness.db, logged.id, { status: 'forwarded', latencyMs: 42 })
    await updateInboundMessageRelay(harness.db, logged.id, { status: 'forwarded', latencyMs: 40, attempts: 2 })
    expect((await newestOf(harness, owner)).relay).toEqual({
      status: 'forwarded',
      latencyMs: 40,
      attempts: 2,
      detail: null,
    })
  })

  test('processing again is idempotent: an applied message changes nothing twice, an unapplied one is applied once', async () => {
    const created = await createNumber(harness, owner.cookie, '415')
    const vapiId = vapiIdOf(created)
    await postWebhook(harness, statusMessage({ id: vapiId, status: 'active', number: '+14155550113' }))
    const applied = await newestOf(harness, owner)
    expect(applied.outcome).toBe('transitioned')
    const eventsBefore = eventsFor(harness, created.id).length

    const again = await harness.request(`/api/webhook-log/${applied.id}/reprocess`, {
      method: 'POST',
      cookie: owner.cookie,
    })
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ id: applied.id, outcome: 'duplicate' })
    expect((await phoneNumberRow(harness, created.id)).version).toBe(2)
    expect(eventsFor(harness, created.id)).toHaveLength(eventsBefore)
    expect(await newestOf(harness, owner)).toMatchObject({ reprocessCount: 1, lastReprocessOutcome: 'duplicate' })

    // A message logged but never applied (its first handling failed): the replay applies it, a second does not.
    const pending = await createNumber(harness, owner.cookie, '415')
    const rawBody = statusMessage({ id: vapiIdOf(pending), status: 'active', number: '+14155550114' })
    const bytes = new TextEncoder().encode(rawBody)
    const id = await recordInboundMessage(harness.server.inboundLog, {
      source: 'vapi',
      headers: new Headers({ 'x-message-id': 'failed-first' }),
      rawBody: bytes,
      verification: 'ok',
      outcome: 'error',
      httpStatus: 503,
      messageType: 'phone-number-status-update',
      messageId: 'failed-first',
      deliveryId: deliveryIdOf('failed-first', bytes),
      phoneNumber: { vapiPhoneNumberId: vapiIdOf(pending) },
    })
    const first = await harness.request(`/api/webhook-log/${id}/reprocess`, { method: 'POST', cookie: owner.cookie })
    expect(await first.json()).toEqual({ id, outcome: 'transitioned' })
    const second = await harness.request(`/api/webhook-log/${id}/reprocess`, { method: 'POST', cookie: owner.cookie })
    expect(await second.json()).toEqual({ id, outcome: 'duplicate' })
    expect(await phoneNumberRow(harness, pending.id)).toMatchObject({ status: 'active', version: 2 })
    expect(eventsFor(harness, pending.id).map((event) => event.phoneNumber.status)).toEqual(['pending', 'active'])

    const audited = await harness.db
      .selectFrom('audit_event')
      .select(['action', 'target_id'])
      .where('organization_id', '=', owner.organizationId)
      .where('action', '=', 'webhook-log.reprocess')
      .execute()
    expect(audited.map((row) => row.target_id)).toEqual(expect.arrayContaining([applied.id, id]))

    // Since a time: everything verified again, nothing changes.
    const since = await harness.request('/api/webhook-log/reprocess', {
      method: 'POST',
      cookie: owner.cookie,
      json: { since: new Date(Date.now() - 60 * 60_000).toISOString() },
    })
    const result = z
      .object({ reprocessed: z.number(), outcomes: z.record(z.string(), z.number()), continueFrom: z.null() })
      .parse(await since.json())
    expect(result.reprocessed).toBeGreaterThan(3)
    expect(result.outcomes.transitioned).toBeUndefined()
    expect(await phoneNumberRow(harness, pending.id)).toMatchObject({ version: 2 })
  })

  test('a refused message cannot be processed again; members may read but not reprocess', async () => {
    await postWebhook(harness, statusMessage({ id: 'x', status: 'active' }), { secret: 'wrong' })
    const refused = await newestOf(harness, admin, '?all=true&outcome=refused&limit=1')
    const asAdmin = await harness.request(`/api/webhook-log/${refused.id}/reprocess`, {
      method: 'POST',
      cookie: admin.cookie,
    })
    expect(asAdmin.status).toBe(409)

    const member = await harness.signUp('Member')
    await harness.db
      .updateTable('member')
      .set({ organizationId: owner.organizationId, role: 'member' })
      .where('userId', '=', member.userId)
      .execute()
    const read = await harness.request('/api/webhook-log', { cookie: member.cookie })
    expect(read.status).toBe(200)
    const reprocess = await harness.request('/api/webhook-log/reprocess', {
      method: 'POST',
      cookie: member.cookie,
      json: { since: new Date().toISOString() },
    })
    expect(reprocess.status).toBe(403)
  })

  test('a test call is logged message by message with its relay status; processing the call again changes nothing', async () => {
    const receiver = await startWebhookReceiver()
    try {
      const caller = await harness.signUp('Caller')
      const number = await liveNumber(harness, caller.cookie)
      const put = await putCallEvents(harness, caller.cookie, {
        enabled: true,
        forwardUrl: receiver.url,
        forwardAuth: { type: 'bearer', token: 'relay-token-0123' },
      })
      expect(put.response.status, put.text).toBe(200)
      const placed = await placeTestCall(harness, caller.cookie, number.id, { durationMs: 300 })
      expect(placed.status, await placed.clone().text()).toBe(202)
      const { callId } = z.object({ callId: z.string() }).parse(await placed.json())
      await finishedCall(harness, callId)

      const ofCall = (await logOf(harness, caller, `?phoneNumberId=${number.id}&limit=200`)).items.filter(
        (item) => item.callId === callId,
      )
      const types = ofCall.map((item) => item.type)
      expect(types).toEqual(expect.arrayContaining(['status-update', 'end-of-call-report']))
      expect(ofCall.every((item) => item.verification === 'ok' && item.organizationId === caller.organizationId)).toBe(
        true,
      )
      // Informational messages wait in the relay's outbox (no worker runs in this test app).
      const statusUpdates = ofCall.filter((item) => item.type === 'status-update')
      expect(statusUpdates.map((item) => item.relay?.status)).toEqual(statusUpdates.map(() => 'queued'))
      expect(statusUpdates.some((item) => item.outcome === 'applied')).toBe(true)

      const before = await phoneNumberRow(harness, number.id)
      const eventsBefore = eventsFor(harness, number.id).length
      const queuedBefore = await harness.db
        .selectFrom('call_event')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
      const again = await harness.request('/api/webhook-log/reprocess', {
        method: 'POST',
        cookie: caller.cookie,
        json: { since: new Date(Date.now() - 10 * 60_000).toISOString() },
      })
      const result = z
        .object({ reprocessed: z.number(), outcomes: z.record(z.string(), z.number()) })
        .parse(await again.json())
      expect(result.reprocessed).toBeGreaterThanOrEqual(ofCall.length)
      expect(result.outcomes.applied).toBeUndefined()
      expect(result.outcomes.transitioned).toBeUndefined()
      const after = await phoneNumberRow(harness, number.id)
      expect(after).toMatchObject({ version: before.version, calls_today: before.calls_today, call_state: 'idle' })
      expect(eventsFor(harness, number.id)).toHaveLength(eventsBefore)
      const queuedAfter = await harness.db
        .selectFrom('call_event')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
      expect(Number(queuedAfter.n)).toBe(Number(queuedBefore.n))
    } finally {
      await receiver.close()
    }
  })

  test('retention: the pruner forgets messages older than the retention, and only those', async () => {
    const created = await createNumber(harness, owner.cookie, '415')
    await postWebhook(harness, statusMessage({ id: vapiIdOf(created), status: 'pending' }))
    const recent = await newestOf(harness, owner)
    const old = await recordInboundMessage(harness.server.inboundLog, {
      source: 'vapi',
      headers: new Headers(),
      rawBody: new TextEncoder().encode('{}'),
      verification: 'ok',
      outcome: 'ignored',
      httpStatus: 200,
      receivedAt: new Date(Date.now() - 15 * 24 * 60 * 60_000),
    })
    expect(old).not.toBeNull()
    await updateInboundMessageRelay(harness.db, old ?? '', { status: 'forwarded' })
    const pruner = startInboundLogPruner(harness.server.inboundLog, { retentionMs: 14 * 24 * 60 * 60_000 })
    const ids = async () => (await harness.db.selectFrom('inbound_message').select('id').execute()).map((row) => row.id)
    const deadline = Date.now() + 5_000
    while ((await ids()).includes(old ?? '') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    await pruner.stop()
    expect(await ids()).not.toContain(old)
    expect(await ids()).toContain(recent.id)
    const relays = await harness.db.selectFrom('inbound_message_relay').select('inbound_message_id').execute()
    expect(relays.map((row) => row.inbound_message_id)).not.toContain(old)
  })

  // The time is printed for a look, not asserted: speed is checked by `pnpm bench`, never by a timed unit test
  // (a loaded machine would make it fail for nothing).
  test('recording 200 messages one after another keeps every one, each once (timing printed)', async () => {
    const created = await createNumber(harness, owner.cookie, '415')
    const body = new TextEncoder().encode(callMessage(vapiIdOf(created), 'status-update'))
    const timings: number[] = []
    const ids: (string | null)[] = []
    for (let index = 0; index < 200; index++) {
      const startedAt = performance.now()
      const id = await recordInboundMessage(harness.server.inboundLog, {
        source: 'vapi',
        headers: new Headers({ 'content-type': 'application/json', 'x-message-id': `m-${index}` }),
        rawBody: body,
        verification: 'ok',
        outcome: 'unchanged',
        httpStatus: 200,
        phoneNumber: { vapiPhoneNumberId: vapiIdOf(created) },
      })
      timings.push(performance.now() - startedAt)
      ids.push(id)
    }
    timings.sort((a, b) => a - b)
    const p50 = timings[100] ?? 0
    const p99 = timings[197] ?? 0
    console.info(`inbound log on ${kind}: record p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (200 messages)`)
    const written = ids.filter((id): id is string => id !== null)
    expect(new Set(written).size).toBe(200)
    const kept = await harness.db.selectFrom('inbound_message').select('id').where('id', 'in', written).execute()
    expect(kept).toHaveLength(200)
  })
})

describe.each(testDatabaseKinds)('a log that cannot be written on %s', (kind) => {
  test('does not fail the webhook: the message is applied and answered, the failure logged', async () => {
    const lines: string[] = []
    const logger = createLogger('warn', { write: (line: string) => void lines.push(line) })
    const harness = await startTestApp(kind, { logger })
    try {
      const owner = await harness.signUp('Owner')
      const created = await createNumber(harness, owner.cookie, '415')
      await sql`alter table inbound_message rename to inbound_message_away`.execute(harness.db)
      const response = await postWebhook(
        harness,
        statusMessage({ id: vapiIdOf(created), status: 'active', number: '+14155550115' }),
      )
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ received: true, outcome: 'transitioned' })
      expect((await phoneNumberRow(harness, created.id)).status).toBe('active')
      expect(lines.some((line) => line.includes('inbound webhook log: could not record'))).toBe(true)
      await sql`alter table inbound_message_away rename to inbound_message`.execute(harness.db)
    } finally {
      await harness.close()
    }
  })
})
