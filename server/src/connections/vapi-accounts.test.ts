import { Writable } from 'node:stream'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startTestApp, testWebhookSecret, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { createCredentialBox } from '../credentials/credential-box.ts'
import { rotateCredentials } from '../credentials/rotate-credentials.ts'
import { createLogger } from '../lib/logger.ts'
import { pollDueNumbers, defaultPollRoundOptions } from '../provisioning/poll-pending-numbers.ts'
import { clearDialtoneServerUrls } from '../provisioning/clear-dialtone-server-urls.ts'
import { startVapiSandbox, type RunningVapiSandbox } from '../vapi-sandbox/start-vapi-sandbox.ts'
import { vapiIdOf } from '../../test/support/vapi-id-of.ts'

// Each organisation's own Vapi account (decision 0010), against the Vapi sandbox on a real port, run as an
// external Vapi so several app instances can share it.

interface SandboxRequest {
  method: string
  route: string
  path: string
  status: number | null
  accountId: string | null
}

interface SandboxNumber {
  id: string
  accountId: string
  releasedAt: string | null
  server?: { url?: string } | null
  assistantId?: string | null
}

type Owner = Awaited<ReturnType<TestApp['signUp']>>
/** A PhoneNumber, or the error body when the status says so. */
type Answer = PhoneNumber & { error: { code: string; message: string } }

const sandboxJson = async <T>(sandbox: RunningVapiSandbox, path: string, init?: RequestInit): Promise<T> =>
  (await (await fetch(`${sandbox.url}${path}`, init)).json()) as T

const newSandboxAccount = (sandbox: RunningVapiSandbox, name: string) =>
  sandboxJson<{ accountId: string; apiKey: string; assistants: { id: string; name: string }[] }>(
    sandbox,
    '/_sandbox/accounts',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) },
  )

const sandboxRequests = async (sandbox: RunningVapiSandbox) =>
  (await sandboxJson<{ requests: SandboxRequest[] }>(sandbox, '/_sandbox/requests')).requests

const setFaults = (sandbox: RunningVapiSandbox, faults: Record<string, number>) =>
  fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  })

/** Every log line the server wrote, at trace level. */
function traceLogger() {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'))
      done()
    },
  })
  return { logger: createLogger('trace', destination), lines }
}

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe.each(testDatabaseKinds)('Vapi accounts per organisation, in sandbox mode, on %s', (kind) => {
  let sandbox: RunningVapiSandbox
  let harness: TestApp
  const trace = traceLogger()

  beforeAll(async () => {
    // Numbers stay pending unless a test picks 537 (assigned within a second); Vapi's real five free numbers.
    sandbox = await startVapiSandbox({
      port: 0,
      minDelayMs: 60_000,
      maxDelayMs: 60_000,
      freeNumberLimit: 5,
      webhookSecret: testWebhookSecret,
      webhookAuth: 'hmac',
    })
    harness = await startTestApp(kind, { env: { VAPI_BASE_URL: sandbox.url }, logger: trace.logger })
  })
  afterAll(async () => {
    await harness.close()
    await sandbox.close()
  })

  const api = (owner: Owner, path: string, init: { method?: string; json?: unknown } = {}) =>
    harness.request(path, { ...init, cookie: owner.cookie })
  const buy = async (owner: Owner, body: Record<string, unknown>) => {
    const response = await api(owner, '/api/phone-numbers', { method: 'POST', json: body })
    return { status: response.status, body: (await response.json()) as Answer }
  }
  const sandboxAccountOf = async (owner: Owner) => {
    const row = await harness.db
      .selectFrom('provider_connection')
      .select(['sandbox_account_id', 'source'])
      .where('organization_id', '=', owner.organizationId)
      .where('retired_at', 'is', null)
      .executeTakeFirstOrThrow()
    return row
  }

  test('two organisations get two sandbox accounts and never see each other’s numbers or assistants', async () => {
    const [alice, bob] = [await harness.signUp('Alice'), await harness.signUp('Bob')]
    for (const owner of [alice, bob]) {
      const connection = (await (await api(owner, '/api/connections/vapi')).json()) as { keyHint: string }
      expect(connection).toMatchObject({ connected: true, source: 'sandbox' })
      expect(connection.keyHint).toHaveLength(4)
    }
    const aliceAccount = await sandboxAccountOf(alice)
    const bobAccount = await sandboxAccountOf(bob)
    expect(aliceAccount.source).toBe('sandbox')
    expect(aliceAccount.sandbox_account_id).not.toBe(bobAccount.sandbox_account_id)

    const assistantsOf = async (owner: Owner) =>
      ((await (await api(owner, '/api/assistants')).json()) as { items: { id: string; name: string | null }[] }).items
    const aliceAssistants = await assistantsOf(alice)
    const bobAssistants = await assistantsOf(bob)
    expect(aliceAssistants.length).toBeGreaterThan(0)
    expect(aliceAssistants.every((assistant) => typeof assistant.name === 'string')).toBe(true)
    const bobIds = new Set(bobAssistants.map((assistant) => assistant.id))
    expect(aliceAssistants.some((assistant) => bobIds.has(assistant.id))).toBe(false)

    const chosen = aliceAssistants[0]!
    const aliceNumber = await buy(alice, { areaCode: '415', name: 'Alice line', assistantId: chosen.id })
    expect(aliceNumber.status).toBe(201)
    expect(aliceNumber.body.assistant).toEqual({ id: chosen.id, name: chosen.name })
    // Bob cannot buy with Alice's assistant: his account has no such assistant; nothing is left behind.
    const refused = await buy(bob, { areaCode: '212', assistantId: chosen.id })
    expect(refused.status).toBe(422)
    expect(refused.body.error.code).toBe('ASSISTANT_NOT_FOUND')
    const bobNumber = await buy(bob, { areaCode: '212', name: 'Bob line' })
    expect(bobNumber.status).toBe(201)
    expect(bobNumber.body.assistant).toBeNull()

    // HTTP: each sees only its own.
    const listOf = async (owner: Owner) =>
      ((await (await api(owner, '/api/phone-numbers')).json()) as { items: { id: string }[] }).items.map((n) => n.id)
    expect(await listOf(alice)).toEqual([aliceNumber.body.id])
    expect(await listOf(bob)).toEqual([bobNumber.body.id])
    expect((await api(bob, `/api/phone-numbers/${aliceNumber.body.id}`)).status).toBe(404)
    const foreignPatch = await api(bob, `/api/phone-numbers/${aliceNumber.body.id}`, {
      method: 'PATCH',
      json: { assistantId: null },
    })
    expect(foreignPatch.status).toBe(404)

    // The sandbox's own inventory: each number is held by its organisation's account.
    const inventory = await sandboxJson<SandboxNumber[]>(sandbox, '/_sandbox/phone-numbers')
    const holderOf = (vapiId: string) => inventory.find((held) => held.id === vapiId)?.accountId
    expect(holderOf(vapiIdOf(aliceNumber.body))).toBe(aliceAccount.sandbox_account_id)
    expect(holderOf(vapiIdOf(bobNumber.body))).toBe(bobAccount.sandbox_account_id)

    // Sockets: every announcement of a number went to its own organisation only.
    const announced = harness.events.filter((event) =>
      [aliceNumber.body.id, bobNumber.body.id].includes(event.phoneNumber.id),
    )
    expect(announced.length).toBeGreaterThanOrEqual(2)
    for (const event of announced) {
      expect(event.organizationId).toBe(
        event.phoneNumber.id === aliceNumber.body.id ? alice.organizationId : bob.organizationId,
      )
    }
  })

  test('PATCH changes the assistant at Vapi first, then stores a new version and tells the organisation', async () => {
    const owner = await harness.signUp('Patcher')
    const assistants = (
      (await (await api(owner, '/api/assistants')).json()) as { items: { id: string; name: string }[] }
    ).items
    // Every event: a rename or reassignment must reach it as phone-number.updated, never as "live".
    expect(
      (await api(owner, '/api/webhook-endpoints', { method: 'POST', json: { url: 'http://127.0.0.1:9/hook' } })).status,
    ).toBe(201)
    // A live number (537: assigned within a second, the webhook follows), so a change that keeps the status shows.
    const bought = await buy(owner, { areaCode: '537' })
    const id = bought.body.id
    await waitUntil(
      async () => ((await (await api(owner, `/api/phone-numbers/${id}`)).json()) as PhoneNumber).status === 'active',
      'the number is live',
    )
    const live = (await (await api(owner, `/api/phone-numbers/${id}`)).json()) as PhoneNumber
    const eventsBefore = harness.events.length

    const assigned = await api(owner, `/api/phone-numbers/${id}`, {
      method: 'PATCH',
      json: { assistantId: assistants[1]!.id, name: 'Night line' },
    })
    expect(assigned.status).toBe(200)
    const body = (await assigned.json()) as Answer
    expect(body).toMatchObject({ name: 'Night line', status: 'active', version: live.version + 1 })
    expect(body.assistant).toEqual({ id: assistants[1]!.id, name: assistants[1]!.name })
    const atVapi = (await sandboxJson<SandboxNumber[]>(sandbox, '/_sandbox/phone-numbers')).find(
      (held) => held.id === bought.body.vapiPhoneNumberId,
    )
    expect(atVapi?.assistantId).toBe(assistants[1]!.id)
    expect(harness.events.slice(eventsBefore)).toContainEqual({
      organizationId: owner.organizationId,
      phoneNumber: body,
    })
    const deliveries = await harness.db
      .selectFrom('outbound_webhook_delivery')
      .select(['event_type', 'phone_number_snapshot'])
      .where('phone_number_id', '=', id)
      .execute()
    const eventTypes = deliveries.map((delivery) => delivery.event_type)
    expect(eventTypes).toContain('phone-number.updated')
    expect(eventTypes.filter((type) => type === 'phone-number.live')).toHaveLength(1)
    expect(JSON.stringify(deliveries.map((delivery) => delivery.phone_number_snapshot))).toContain(assistants[1]!.id)
    const mails = await harness.db
      .selectFrom('notification_event')
      .select('kind')
      .where('phone_number_id', '=', id)
      .execute()
    expect(mails).toEqual([{ kind: 'live' }])

    // An assistant Vapi does not know: refused there, nothing changed here.
    const unknown = await api(owner, `/api/phone-numbers/${id}`, {
      method: 'PATCH',
      json: { assistantId: '00000000-0000-4000-8000-000000000000' },
    })
    expect(unknown.status).toBe(422)
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('ASSISTANT_NOT_FOUND')
    const stored = (await (await api(owner, `/api/phone-numbers/${id}`)).json()) as Answer
    expect(stored.version).toBe(body.version)
    expect(stored.assistant?.id).toBe(assistants[1]!.id)

    const cleared = (await (
      await api(owner, `/api/phone-numbers/${id}`, { method: 'PATCH', json: { assistantId: null } })
    ).json()) as Answer
    expect(cleared.assistant).toBeNull()
    expect(cleared.version).toBe(body.version + 1)
    expect((await api(owner, `/api/phone-numbers/${id}`, { method: 'PATCH', json: {} })).status).toBe(400)
  })

  test('a refused key stores nothing', async () => {
    const owner = await harness.signUp('Refused')
    const before = await harness.db
      .selectFrom('provider_connection')
      .selectAll()
      .where('organization_id', '=', owner.organizationId)
      .execute()
    const response = await api(owner, '/api/connections/vapi', { method: 'PUT', json: { apiKey: 'invalid' } })
    expect(response.status).toBe(422)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('CONNECTION_INVALID')
    const after = await harness.db
      .selectFrom('provider_connection')
      .selectAll()
      .where('organization_id', '=', owner.organizationId)
      .execute()
    expect(after).toEqual(before)
    expect(after.some((row) => row.source === 'organization')).toBe(false)
  })

  test('purchase, poll and release each use the account that bought the number; keys never stored or logged in the clear', async () => {
    const owner = await harness.signUp('Keyholder')
    const first = await newSandboxAccount(sandbox, 'First key')
    const second = await newSandboxAccount(sandbox, 'Second key')

    const connected = await api(owner, '/api/connections/vapi', { method: 'PUT', json: { apiKey: first.apiKey } })
    expect(connected.status).toBe(200)
    expect(await connected.json()).toMatchObject({
      connected: true,
      source: 'organization',
      keyHint: first.apiKey.slice(-4),
    })
    // Webhooks dropped: only the poller can turn these live.
    await setFaults(sandbox, { webhookDropRate: 1 })
    const boughtFirst = await buy(owner, { areaCode: '537' })
    expect(boughtFirst.status).toBe(201)
    expect((await api(owner, '/api/connections/vapi', { method: 'PUT', json: { apiKey: second.apiKey } })).status).toBe(
      200,
    )
    const boughtSecond = await buy(owner, { areaCode: '537' })
    expect(boughtSecond.status).toBe(201)

    const accountOfRequest = async (method: string, vapiId: string) =>
      (await sandboxRequests(sandbox))
        .filter((request) => request.method === method && request.path.endsWith(vapiId))
        .map((request) => request.accountId)
    const inventory = await sandboxJson<SandboxNumber[]>(sandbox, '/_sandbox/phone-numbers')
    expect(inventory.find((held) => held.id === boughtFirst.body.vapiPhoneNumberId)?.accountId).toBe(first.accountId)
    expect(inventory.find((held) => held.id === boughtSecond.body.vapiPhoneNumberId)?.accountId).toBe(second.accountId)

    // The poller checks each number with the key that bought it, though the organisation's key changed.
    const ids = [boughtFirst.body.id, boughtSecond.body.id]
    await waitUntil(async () => {
      await harness.db.updateTable('phone_number').set({ next_check_at: new Date() }).where('id', 'in', ids).execute()
      await pollDueNumbers(harness.provisioning, { ...defaultPollRoundOptions, random: () => 0 })
      const rows = await harness.db.selectFrom('phone_number').select('status').where('id', 'in', ids).execute()
      return rows.every((row) => row.status === 'active')
    }, 'both numbers are live through the poller')
    await setFaults(sandbox, { webhookDropRate: 0 })
    expect(await accountOfRequest('GET', vapiIdOf(boughtFirst.body))).toContain(first.accountId)
    expect(await accountOfRequest('GET', vapiIdOf(boughtFirst.body))).not.toContain(second.accountId)
    expect(await accountOfRequest('GET', vapiIdOf(boughtSecond.body))).toContain(second.accountId)

    const released = await api(owner, `/api/phone-numbers/${boughtFirst.body.id}`, { method: 'DELETE' })
    expect(released.status).toBe(200)
    expect(((await released.json()) as { status: string }).status).toBe('released')
    expect(await accountOfRequest('DELETE', vapiIdOf(boughtFirst.body))).toEqual([first.accountId])

    // Disconnected: the number stays as it was, and releasing it says why it cannot be done.
    expect((await api(owner, '/api/connections/vapi', { method: 'DELETE' })).status).toBe(200)
    expect(
      await harness.db
        .selectFrom('provider_connection')
        .select('id')
        .where('organization_id', '=', owner.organizationId)
        .execute(),
    ).toEqual([])
    const orphaned = await api(owner, `/api/phone-numbers/${boughtSecond.body.id}`, { method: 'DELETE' })
    expect(orphaned.status).toBe(409)
    expect(((await orphaned.json()) as { error: { code: string } }).error.code).toBe('VAPI_ACCOUNT_DISCONNECTED')
    expect(
      ((await (await api(owner, `/api/phone-numbers/${boughtSecond.body.id}`)).json()) as { status: string }).status,
    ).toBe('active')
    // The same key connected again: the number is reachable as before.
    await api(owner, '/api/connections/vapi', { method: 'PUT', json: { apiKey: second.apiKey } })
    expect((await api(owner, `/api/phone-numbers/${boughtSecond.body.id}`, { method: 'DELETE' })).status).toBe(200)

    // Not in a dump of the rows, not in any log line at trace level.
    const dump = JSON.stringify(await harness.db.selectFrom('provider_connection').selectAll().execute())
    for (const key of [first.apiKey, second.apiKey]) {
      expect(dump).not.toContain(key)
      expect(dump).not.toContain(Buffer.from(key).toString('base64'))
      expect(trace.lines.some((line) => line.includes(key))).toBe(false)
    }
    expect(trace.lines.length).toBeGreaterThan(0)
  })

  test('the sixth free number of one Vapi account is refused clearly, with no row and no attempt in flight', async () => {
    const owner = await harness.signUp('Collector')
    for (let index = 0; index < 5; index++) expect((await buy(owner, { areaCode: '415' })).status).toBe(201)
    const sixth = await buy(owner, { areaCode: '415' })
    expect(sixth.status).toBe(409)
    expect(sixth.body.error.code).toBe('FREE_NUMBER_LIMIT')
    expect(sixth.body.error.message).toMatch(/5 free numbers/)
    expect(sixth.body.error.message).toMatch(/Release a number/)
    const rows = await harness.db
      .selectFrom('phone_number')
      .select('id')
      .where('organization_id', '=', owner.organizationId)
      .execute()
    expect(rows).toHaveLength(5)
    const attempts = await harness.db
      .selectFrom('provisioning_attempt')
      .select(['outcome', 'failure_code'])
      .where('organization_id', '=', owner.organizationId)
      .execute()
    expect(attempts.filter((attempt) => attempt.outcome === 'in_flight')).toEqual([])
    expect(attempts).toContainEqual({ outcome: 'refused', failure_code: 'free_number_limit' })
  })

  test('after key rotation a second instance with only the new key buys, checks and releases', async () => {
    const owner = await harness.signUp('Rotator')
    const pending = await buy(owner, { areaCode: '415' })
    expect(pending.status).toBe(201)
    const endpoint = await api(owner, '/api/webhook-endpoints', {
      method: 'POST',
      json: { url: 'http://127.0.0.1:9/hook' },
    })
    expect(endpoint.status).toBe(201)

    const newKey = 'rotated-credentials-key-fedcba9876543210'
    const box = createCredentialBox({ current: newKey, previous: ['test-credentials-key-0123456789abcdef'] })
    const report = await rotateCredentials(harness.db, box)
    expect(report.connections.resealed).toBeGreaterThan(0)
    expect(report.webhookSecrets.resealed).toBeGreaterThan(0)
    expect(report.connections.unreadable + report.webhookSecrets.unreadable).toBe(0)
    const again = await rotateCredentials(harness.db, box)
    expect(again.connections.resealed + again.webhookSecrets.resealed).toBe(0)

    const rotated = await startTestApp(kind, {
      database: harness.database,
      env: { VAPI_BASE_URL: sandbox.url, CREDENTIALS_KEY: newKey },
    })
    try {
      const call = (path: string, init: { method?: string; json?: unknown } = {}) =>
        rotated.request(path, { ...init, cookie: owner.cookie })
      expect((await call(`/api/phone-numbers/${pending.body.id}/refresh`, { method: 'POST' })).status).toBe(200)
      const another = await call('/api/phone-numbers', { method: 'POST', json: { areaCode: '212' } })
      expect(another.status).toBe(201)
      const released = await call(`/api/phone-numbers/${pending.body.id}`, { method: 'DELETE' })
      expect(released.status).toBe(200)
      expect(((await released.json()) as { status: string }).status).toBe('released')
      expect((await call('/api/assistants')).status).toBe(200)
      // The old instance's key no longer opens what was re-sealed.
      const sealed = await harness.db
        .selectFrom('provider_connection')
        .select('secret_ciphertext')
        .where('organization_id', '=', owner.organizationId)
        .executeTakeFirstOrThrow()
      expect(() =>
        createCredentialBox({ current: 'test-credentials-key-0123456789abcdef' }).open(sealed.secret_ciphertext),
      ).toThrow()
    } finally {
      await rotated.close()
    }
  })

  test('a Vapi account paused by Retry-After holds back only its own numbers; another account is still polled', async () => {
    const [paused, free] = [await harness.signUp('Throttled'), await harness.signUp('Unthrottled')]
    await setFaults(sandbox, { webhookDropRate: 1 })
    const pausedNumber = await buy(paused, { areaCode: '537' })
    const freeNumber = await buy(free, { areaCode: '537' })
    await waitUntil(async () => {
      const held = await sandboxJson<(SandboxNumber & { number?: string })[]>(sandbox, '/_sandbox/phone-numbers')
      return [pausedNumber, freeNumber].every((bought) =>
        Boolean(held.find((entry) => entry.id === bought.body.vapiPhoneNumberId)?.number),
      )
    }, 'both numbers are assigned at the sandbox')
    // Another process was told "Retry-After: 60" for the first organisation's account.
    const account = await harness.db
      .selectFrom('phone_number')
      .select('vapi_account')
      .where('id', '=', pausedNumber.body.id)
      .executeTakeFirstOrThrow()
    const pausedUntil = new Date(Date.now() + 60_000)
    await harness.db
      .insertInto('vapi_account_pause')
      .values({ account_key: (account.vapi_account ?? '').replace(/^key:/, ''), paused_until: pausedUntil })
      .execute()
    const before = (await sandboxRequests(sandbox)).length
    const ids = [pausedNumber.body.id, freeNumber.body.id]
    // One at a time, the paused account's number first: a poller pausing everyone would never reach the other.
    await harness.db
      .updateTable('phone_number')
      .set({ next_check_at: new Date(Date.now() - 1_000) })
      .where('id', '=', pausedNumber.body.id)
      .execute()
    await harness.db
      .updateTable('phone_number')
      .set({ next_check_at: new Date() })
      .where('id', '=', freeNumber.body.id)
      .execute()
    const round = await pollDueNumbers(harness.provisioning, {
      ...defaultPollRoundOptions,
      concurrency: 1,
      random: () => 0,
    })
    await setFaults(sandbox, { webhookDropRate: 0 })
    expect(round.activated).toBeGreaterThanOrEqual(1)
    const rows = await harness.db
      .selectFrom('phone_number')
      .select(['id', 'status', 'next_check_at'])
      .where('id', 'in', ids)
      .execute()
    const rowOf = (id: string) => rows.find((row) => row.id === id)
    expect(rowOf(freeNumber.body.id)?.status).toBe('active')
    expect(rowOf(pausedNumber.body.id)?.status).toBe('pending')
    expect(rowOf(pausedNumber.body.id)?.next_check_at?.getTime()).toBeGreaterThan(Date.now() + 30_000)
    const sent = (await sandboxRequests(sandbox)).slice(before)
    expect(sent.some((request) => request.path.endsWith(vapiIdOf(freeNumber.body)))).toBe(true)
    expect(sent.some((request) => request.path.endsWith(vapiIdOf(pausedNumber.body)))).toBe(false)
  })

  test('a Retry-After pause one instance learns holds for another instance on the same database', async () => {
    const owner = await harness.signUp('Paused')
    await api(owner, '/api/connections/vapi')
    const other = await startTestApp(kind, { database: harness.database, env: { VAPI_BASE_URL: sandbox.url } })
    try {
      await setFaults(sandbox, { rateLimitRate: 1 })
      const limited = await api(owner, '/api/assistants')
      expect(limited.status).toBe(503)
      await setFaults(sandbox, { rateLimitRate: 0 })
      const connection = await harness.db
        .selectFrom('provider_connection')
        .select('account_fingerprint')
        .where('organization_id', '=', owner.organizationId)
        .executeTakeFirstOrThrow()
      const pause = await harness.db
        .selectFrom('vapi_account_pause')
        .selectAll()
        .where('account_key', '=', connection.account_fingerprint)
        .execute()
      expect(pause.length).toBeGreaterThan(0)
      const pausedUntil = Math.max(...pause.map((row) => new Date(row.paused_until).getTime()))
      const before = (await sandboxRequests(sandbox)).length
      const answered = await other.request('/api/assistants', { cookie: owner.cookie })
      expect([200, 503]).toContain(answered.status)
      // The other instance sent nothing before the pause ended.
      const sent = (await sandboxRequests(sandbox)).slice(before)
      expect(sent.length).toBeGreaterThan(0)
      for (const request of sent) {
        expect(new Date((request as SandboxRequest & { at: string }).at).getTime()).toBeGreaterThanOrEqual(
          pausedUntil - 25,
        )
      }
    } finally {
      await other.close()
    }
  })
})

describe.each(testDatabaseKinds)('against real Vapi settings (the sandbox as an external Vapi), on %s', (kind) => {
  let sandbox: RunningVapiSandbox
  let harness: TestApp
  let platformKey: string

  beforeAll(async () => {
    sandbox = await startVapiSandbox({
      port: 0,
      // Assigned soon after the purchase; with no server.url no webhook follows, so only the poller can tell.
      minDelayMs: 200,
      maxDelayMs: 500,
      webhookSecret: testWebhookSecret,
      webhookAuth: 'hmac',
    })
    platformKey = (await newSandboxAccount(sandbox, 'Platform')).apiKey
    harness = await startTestApp(kind, {
      vapiApiKey: platformKey,
      env: { VAPI_BASE_URL: sandbox.url, VAPI_API_KEY: platformKey },
    })
  })
  afterAll(async () => {
    await harness.close()
    await sandbox.close()
  })

  test('a purchased number has no server.url from dialtone and still turns live through the poller', async () => {
    const owner = await harness.signUp('Business')
    expect(await (await harness.request('/api/connections/vapi', { cookie: owner.cookie })).json()).toEqual({
      connected: true,
      source: 'platform',
      keyHint: null,
      connectedAt: null,
    })
    const response = await harness.request('/api/phone-numbers', {
      method: 'POST',
      json: { areaCode: '415' },
      cookie: owner.cookie,
    })
    expect(response.status).toBe(201)
    const created = (await response.json()) as { id: string; vapiPhoneNumberId: string }
    const held = (await sandboxJson<SandboxNumber[]>(sandbox, '/_sandbox/phone-numbers')).find(
      (number) => number.id === created.vapiPhoneNumberId,
    )
    expect(held).toBeDefined()
    expect(held?.server?.url ?? null).toBeNull()
    await waitUntil(async () => {
      await harness.db
        .updateTable('phone_number')
        .set({ next_check_at: new Date() })
        .where('id', '=', created.id)
        .execute()
      await pollDueNumbers(harness.provisioning, { ...defaultPollRoundOptions, random: () => 0 })
      const row = await harness.db
        .selectFrom('phone_number')
        .select('status')
        .where('id', '=', created.id)
        .executeTakeFirst()
      return row?.status === 'active'
    }, 'the number is live through the poller')
    const row = await harness.db
      .selectFrom('phone_number')
      .select('detected_by')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow()
    expect(row.detected_by).toBe('poll')
  })

  test('vapi:clear-server-urls clears only the server.url that is dialtone’s webhook, and only with apply', async () => {
    const owner = await harness.signUp('Legacy')
    const ourWebhook = `${harness.provisioning.webhookUrl}?attempt=00000000-0000-4000-8000-000000000001`
    const makeAtVapi = async (serverUrl: string) => {
      const response = await fetch(`${sandbox.url}/phone-number`, {
        method: 'POST',
        headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'vapi', numberDesiredAreaCode: '415', server: { url: serverUrl } }),
      })
      const vapiNumber = (await response.json()) as { id: string }
      // As dialtone stored numbers before 0010: no vapi_account (the deployment's key).
      await harness.db
        .insertInto('phone_number')
        .values({
          organization_id: owner.organizationId,
          vapi_phone_number_id: vapiNumber.id,
          name: null,
          area_code: '415',
          number: null,
          status: 'pending',
          failure_code: null,
          failure_reason: null,
          detected_by: null,
          created_at: new Date(),
          updated_at: new Date(),
          next_check_at: null,
        })
        .execute()
      return vapiNumber.id
    }
    const ours = await makeAtVapi(ourWebhook)
    const theirs = await makeAtVapi('https://business.example.com/vapi')

    const dryRun = await clearDialtoneServerUrls(harness.provisioning, { apply: false })
    expect(dryRun.find((change) => change.vapiPhoneNumberId === ours)?.action).toBe('would-clear')
    expect(dryRun.find((change) => change.vapiPhoneNumberId === theirs)?.action).toBe('kept')
    const serverUrlOf = async (id: string) =>
      (await sandboxJson<SandboxNumber[]>(sandbox, '/_sandbox/phone-numbers')).find((number) => number.id === id)
        ?.server?.url ?? null
    expect(await serverUrlOf(ours)).toBe(ourWebhook)

    const applied = await clearDialtoneServerUrls(harness.provisioning, { apply: true })
    expect(applied.find((change) => change.vapiPhoneNumberId === ours)?.action).toBe('cleared')
    expect(await serverUrlOf(ours)).toBeNull()
    expect(await serverUrlOf(theirs)).toBe('https://business.example.com/vapi')
  })

  test('with VAPI_ACCOUNT_POLICY=own an organisation without a key is told to connect first, and nothing is tried', async () => {
    const own = await startTestApp(kind, {
      database: harness.database,
      vapiApiKey: platformKey,
      env: { VAPI_BASE_URL: sandbox.url, VAPI_API_KEY: platformKey, VAPI_ACCOUNT_POLICY: 'own' },
    })
    try {
      const owner = await own.signUp('Tenant')
      expect(await (await own.request('/api/connections/vapi', { cookie: owner.cookie })).json()).toEqual({
        connected: false,
        source: null,
        keyHint: null,
        connectedAt: null,
      })
      const response = await own.request('/api/phone-numbers', {
        method: 'POST',
        json: { areaCode: '415' },
        cookie: owner.cookie,
      })
      expect(response.status).toBe(409)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('CONNECTION_REQUIRED')
      expect((await own.request('/api/assistants', { cookie: owner.cookie })).status).toBe(409)
      const attempts = await own.db
        .selectFrom('provisioning_attempt')
        .select('id')
        .where('organization_id', '=', owner.organizationId)
        .execute()
      expect(attempts).toEqual([])
      // Connecting its own key is all it takes.
      const key = (await newSandboxAccount(sandbox, 'Tenant key')).apiKey
      expect(
        (await own.request('/api/connections/vapi', { method: 'PUT', json: { apiKey: key }, cookie: owner.cookie }))
          .status,
      ).toBe(200)
      const bought = await own.request('/api/phone-numbers', {
        method: 'POST',
        json: { areaCode: '415' },
        cookie: owner.cookie,
      })
      expect(bought.status).toBe(201)
    } finally {
      await own.close()
    }
  })
})
