import { callEventSettingsSchema } from '@dialtone/shared/call-events'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createCredentialBox } from '../credentials/credential-box.ts'
import { rotateCredentials } from '../credentials/rotate-credentials.ts'
import { routeNumbersBoughtSinceEnabled } from './call-event-settings.ts'
import { liveNumber, putCallEvents, serverUrlAtSandbox } from '../../test/support/call-events-kit.ts'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'

describe.each(testDatabaseKinds)('call-event settings on %s', (kind) => {
  let harness: TestApp
  let owner: Awaited<ReturnType<TestApp['signUp']>>
  let other: Awaited<ReturnType<TestApp['signUp']>>

  beforeAll(async () => {
    // As in production: forwarding only to public addresses.
    harness = await startTestApp(kind, { allowPrivateWebhookUrls: false })
    owner = await harness.signUp('Careful')
    other = await harness.signUp('Neighbour')
  })
  afterAll(async () => {
    await harness.close()
  })

  const settingsOf = async (cookie: string) =>
    callEventSettingsSchema.parse(await (await harness.request('/api/call-events', { cookie })).json())

  test('bad bodies answer 400 and change nothing, at dialtone or at Vapi', async () => {
    const number = await liveNumber(harness, owner.cookie)
    const routedBefore = await serverUrlAtSandbox(harness, number.vapiPhoneNumberId ?? '')
    const before = await settingsOf(owner.cookie)
    expect(before).toEqual({
      enabled: false,
      forwardUrl: null,
      forwardAuth: null,
      fallbackAssistantId: null,
      keepTranscripts: false,
      routedNumbers: 0,
    })
    const bodies = [
      {},
      { enabled: 'yes' },
      { enabled: true, forwardUrl: 'ftp://example.com/hook' },
      { enabled: true, forwardUrl: 'http://127.0.0.1:9/hook' },
      { enabled: true, forwardUrl: 'http://169.254.169.254/latest' },
      { enabled: true, forwardAuth: { type: 'bearer' } },
      { enabled: true, forwardAuth: { type: 'hmac', secret: 'short' } },
      { enabled: true, forwardAuth: { type: 'basic', secret: 'long-enough-secret' } },
      { enabled: true, fallbackAssistantId: 'not-a-uuid' },
      { enabled: true, unknown: 1 },
    ]
    for (const body of bodies) {
      const { response, text } = await putCallEvents(harness, owner.cookie, body)
      expect(response.status, `${JSON.stringify(body)} → ${text}`).toBe(400)
      expect(text).toContain('VALIDATION_FAILED')
    }
    expect(await settingsOf(owner.cookie)).toEqual(before)
    expect(await serverUrlAtSandbox(harness, number.vapiPhoneNumberId ?? '')).toBe(routedBefore)
    const audit = await harness.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'call-events.update')
      .execute()
    expect(audit).toHaveLength(0)
  })

  test('each organisation sees and changes only its own settings and numbers', async () => {
    const mine = await liveNumber(harness, owner.cookie)
    const theirs = await liveNumber(harness, other.cookie)
    const theirsBefore = await serverUrlAtSandbox(harness, theirs.vapiPhoneNumberId ?? '')
    const { settings } = await putCallEvents(harness, owner.cookie, {
      enabled: true,
      forwardUrl: 'https://93.184.215.14/vapi',
      forwardAuth: { type: 'secret', secret: 'owner-only-secret' },
    })
    expect(settings?.routedNumbers).toBeGreaterThanOrEqual(1)
    expect(await serverUrlAtSandbox(harness, mine.vapiPhoneNumberId ?? '')).toBe(`${harness.baseUrl}/webhooks/vapi`)
    expect(await serverUrlAtSandbox(harness, theirs.vapiPhoneNumberId ?? '')).toBe(theirsBefore)
    expect(await settingsOf(other.cookie)).toMatchObject({ enabled: false, forwardUrl: null, routedNumbers: 0 })
    // Saving again (enabled) keeps the stored credential when none is sent.
    const again = await putCallEvents(harness, owner.cookie, { enabled: true })
    expect(again.settings?.forwardAuth).toEqual({ type: 'secret', hint: '••••cret' })
    expect((await putCallEvents(harness, owner.cookie, { enabled: false })).settings?.routedNumbers).toBe(0)
  })

  test('a number bought after call events were turned on is routed by the worker, without saving again', async () => {
    const later = await harness.signUp('Later Buyer')
    const { settings } = await putCallEvents(harness, later.cookie, {
      enabled: true,
      forwardUrl: 'https://93.184.215.14/vapi',
      forwardAuth: { type: 'bearer', token: 'later-buyer-token' },
    })
    expect(settings?.routedNumbers).toBe(0)
    const bought = await liveNumber(harness, later.cookie)
    expect((await settingsOf(later.cookie)).routedNumbers).toBe(0)

    expect(await routeNumbersBoughtSinceEnabled(harness.server.callEvents)).toBeGreaterThanOrEqual(1)
    expect((await settingsOf(later.cookie)).routedNumbers).toBe(1)
    expect(await serverUrlAtSandbox(harness, bought.vapiPhoneNumberId ?? '')).toBe(`${harness.baseUrl}/webhooks/vapi`)
    // Routed once: the next round finds nothing of this organisation's to do.
    await routeNumbersBoughtSinceEnabled(harness.server.callEvents)
    const routes = await harness.db
      .selectFrom('call_event_route')
      .select('phone_number_id')
      .where('organization_id', '=', later.organizationId)
      .execute()
    expect(routes.map((route) => route.phone_number_id)).toEqual([bought.id])
  })

  test('a signed-out request is refused', async () => {
    const anonymous = await harness.request('/api/call-events')
    expect(anonymous.status).toBe(401)
  })
})

describe.each(testDatabaseKinds)('call-event secrets and key rotation on %s', (kind) => {
  test('pnpm credentials:rotate re-seals the forwarding credential and the remembered routing, which the new key opens', async () => {
    const harness = await startTestApp(kind)
    try {
      const owner = await harness.signUp('Rotating')
      await liveNumber(harness, owner.cookie)
      const { settings } = await putCallEvents(harness, owner.cookie, {
        enabled: true,
        forwardUrl: 'http://127.0.0.1:9/vapi',
        forwardAuth: { type: 'bearer', token: 'rotated-bearer-token' },
      })
      expect(settings?.routedNumbers).toBe(1)
      const stored = await harness.db.selectFrom('call_event_setting').selectAll().executeTakeFirstOrThrow()
      expect(stored.forward_secret_ciphertext).not.toContain('rotated-bearer-token')

      const box = createCredentialBox({
        current: 'rotated-credentials-key-fedcba9876543210',
        previous: ['test-credentials-key-0123456789abcdef'],
      })
      const report = await rotateCredentials(harness.db, box)
      expect(report.callEventSecrets).toEqual({ resealed: 2, current: 0, unreadable: 0 })
      expect((await rotateCredentials(harness.db, box)).callEventSecrets.resealed).toBe(0)
      const rotated = await harness.db.selectFrom('call_event_setting').selectAll().executeTakeFirstOrThrow()
      expect(box.open(rotated.forward_secret_ciphertext ?? '')).toBe('rotated-bearer-token')
      const route = await harness.db.selectFrom('call_event_route').selectAll().executeTakeFirstOrThrow()
      expect(JSON.parse(box.open(route.previous_server_ciphertext ?? ''))).toHaveProperty('url')
    } finally {
      await harness.close()
    }
  })
})
