import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { createLogger } from '../../src/lib/logger.ts'
import { testDatabaseKinds } from '../support/test-databases.ts'
import { harnessSecrets, startSecurityHarness, type SecurityHarness } from './security-harness.ts'

const kind = testDatabaseKinds.at(-1) ?? 'pglite'

/** Collects every byte a logger writes. */
function logBuffer() {
  const chunks: string[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'))
      callback()
    },
  })
  return { destination, text: () => chunks.join('') }
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe(`secrets never reach the logs (${kind})`, () => {
  const serverLog = logBuffer()
  const consoleLines: string[] = []
  let harness: SecurityHarness

  beforeAll(async () => {
    // Libraries that print for themselves (Better Auth) write to the console; it is read as well.
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleLines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '))
      })
    }
    harness = await startSecurityHarness(kind, {
      log: { level: 'trace', destination: serverLog.destination },
      isAuthRateLimitEnabled: true,
      sandboxDelayMs: { min: 100, max: 400 },
    })
  })
  afterAll(async () => {
    await harness.close()
    vi.restoreAllMocks()
  })

  test('sign-up, sign-in, sockets, creates, webhooks and Vapi failures log no password, token or secret', async () => {
    const owner = await harness.signUp('Logged')
    const sessionToken = decodeURIComponent(owner.cookie.replace(/^dialtone\.session_token=/, ''))
    const tokenWithoutSignature = sessionToken.split('.')[0] ?? sessionToken
    expect(tokenWithoutSignature.length).toBeGreaterThan(10)

    const wrong = await harness.request('/api/auth/sign-in/email', {
      method: 'POST',
      json: { email: owner.email, password: `${harnessSecrets.password}-wrong` },
    })
    expect(wrong.status).toBe(401)
    const right = await harness.request('/api/auth/sign-in/email', {
      method: 'POST',
      json: { email: owner.email, password: harnessSecrets.password },
    })
    expect(right.status).toBe(200)
    const secondToken = decodeURIComponent(
      (right.headers.get('set-cookie') ?? '').split(';')[0]?.replace(/^dialtone\.session_token=/, '') ?? '',
    ).split('.')[0]
    expect(secondToken).toBeTruthy()

    const socket = await harness.connect(owner.cookie)
    await expect(harness.connect(`${owner.cookie}tampered`)).rejects.toThrow()

    // Numbers bought, assigned by the sandbox and announced by its signed webhooks.
    const created: { id: string }[] = []
    for (const areaCode of ['415', '212', '537']) {
      const response = await harness.request('/api/phone-numbers', {
        method: 'POST',
        cookie: owner.cookie,
        json: { areaCode, name: 'logged line' },
      })
      expect(response.status).toBe(201)
      created.push((await response.json()) as { id: string })
    }
    await until(async () => {
      const rows = await harness.db.selectFrom('phone_number').select('status').where('status', '=', 'active').execute()
      return rows.length === created.length
    }, 'the sandbox’s webhooks')
    // 534 is never assigned: a pending number whose checks go to Vapi below.
    const neverAssigned = await harness.request('/api/phone-numbers', {
      method: 'POST',
      cookie: owner.cookie,
      json: { areaCode: '534' },
    })
    const pending = (await neverAssigned.json()) as { id: string }

    // Webhooks with wrong credentials, including the secret itself sent where a signature belongs.
    const body = JSON.stringify({ message: { type: 'status-update' } })
    const forgedHeaders: Record<string, string>[] = [
      { 'x-timestamp': String(Date.now()), 'x-signature': harnessSecrets.webhookSecret },
      { 'x-vapi-secret': harnessSecrets.webhookSecret },
      { authorization: `Bearer ${harnessSecrets.webhookSecret}` },
    ]
    for (const headers of forgedHeaders) {
      const refused = await fetch(`${harness.baseUrl}/webhooks/vapi`, { method: 'POST', headers, body })
      expect(refused.status).toBe(401)
    }

    // Vapi failing: creates refused, checks retried.
    await fetch(`${harness.sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1 }),
    })
    const refusedCreate = await harness.request('/api/phone-numbers', {
      method: 'POST',
      cookie: owner.cookie,
      json: { areaCode: '305' },
    })
    expect(refusedCreate.status).toBe(503)
    const refresh = await harness.request(`/api/phone-numbers/${pending.id}/refresh`, {
      method: 'POST',
      cookie: owner.cookie,
    })
    await refresh.arrayBuffer()
    await fetch(`${harness.sandbox.url}/_sandbox/faults`, { method: 'DELETE' })

    const signOut = await harness.request('/api/auth/sign-out', { method: 'POST', cookie: owner.cookie, json: {} })
    expect(signOut.status).toBe(200)
    socket.disconnect()

    const logged = `${serverLog.text()}\n${consoleLines.join('\n')}`
    // The run did log: at trace level the Vapi calls and the webhooks are there to be searched.
    expect(logged).toContain('vapi request')
    expect(logged).toContain('sandbox webhook delivered')
    expect(logged).toContain('retrying vapi call')
    const secrets = {
      password: harnessSecrets.password,
      sessionToken: tokenWithoutSignature,
      secondSessionToken: secondToken ?? '',
      webhookSecret: harnessSecrets.webhookSecret,
      vapiApiKey: harnessSecrets.vapiApiKey,
      authSecret: harnessSecrets.authSecret,
    }
    for (const [name, secret] of Object.entries(secrets)) {
      expect(logged.includes(secret), `${name} appears in the logs`).toBe(false)
    }
    vi.restoreAllMocks()
    console.info(
      `[security] ${logged.split('\n').length} log lines at trace level searched for ${Object.keys(secrets).length} secrets: none found`,
    )
  })

  test('fields named like secrets are censored wherever they are logged', () => {
    const buffer = logBuffer()
    const logger = createLogger('trace', buffer.destination)
    logger.info(
      {
        user: { password: 'p4ssw0rd-in-object' },
        vapi: { apiKey: 'key-in-object' },
        req: { headers: { authorization: 'Bearer header-token', cookie: 'session=cookie-value' } },
        headers: { authorization: 'Bearer bare-header-token' },
        webhook: { secret: 'secret-in-object', token: 'token-in-object' },
      },
      'a careless log line',
    )
    const text = buffer.text()
    expect(text).toContain('a careless log line')
    for (const secret of [
      'p4ssw0rd-in-object',
      'key-in-object',
      'header-token',
      'cookie-value',
      'bare-header-token',
      'secret-in-object',
      'token-in-object',
    ]) {
      expect(text).not.toContain(secret)
    }
  })
})
