import { randomUUID } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { connect as connectTcp } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testDatabaseKinds } from '../support/test-databases.ts'
import { startSecurityHarness, type SecurityHarness } from './security-harness.ts'

const kind = testDatabaseKinds.at(-1) ?? 'pglite'
const metricsToken = 'http-lows-metrics-token-0123456789'

/** Sends raw bytes on a fresh connection; resolves with what came back before `waitMs` or the server closed. */
function rawExchange(baseUrl: string, bytes: string, options: { waitMs: number; hangUpAfterMs?: number }) {
  const { port, hostname } = new URL(baseUrl)
  return new Promise<{ answer: string; ms: number }>((resolve) => {
    const startedAt = performance.now()
    let answer = ''
    const socket = connectTcp(Number(port), hostname, () => socket.write(bytes))
    const finish = () => {
      socket.destroy()
      resolve({ answer, ms: performance.now() - startedAt })
    }
    socket.on('data', (chunk) => (answer += chunk.toString()))
    socket.on('close', finish)
    socket.on('error', finish)
    if (options.hangUpAfterMs !== undefined) setTimeout(() => socket.destroy(), options.hangUpAfterMs)
    setTimeout(finish, options.waitMs)
  })
}

describe(`HTTP lows on ${kind}`, () => {
  let harness: SecurityHarness
  const lines: string[] = []

  beforeAll(async () => {
    harness = await startSecurityHarness(kind, {
      env: { METRICS_TOKEN: metricsToken, TRUSTED_PROXY_HOPS: '1' },
      log: { level: 'info', destination: { write: (line: string) => void lines.push(line) } },
    })
  })
  afterAll(async () => {
    await harness.close()
  })

  test('/metrics answers only the bearer of METRICS_TOKEN', async () => {
    const anonymous = await harness.request('/metrics')
    expect(anonymous.status).toBe(401)
    expect(await anonymous.text()).not.toContain('dialtone_')
    const wrong = await harness.request('/metrics', { headers: { authorization: 'Bearer not-the-token-at-all!!' } })
    expect(wrong.status).toBe(401)
    await wrong.arrayBuffer()
    const scraped = await harness.request('/metrics', { headers: { authorization: `Bearer ${metricsToken}` } })
    expect(scraped.status).toBe(200)
    expect(await scraped.text()).toContain('dialtone_phone_numbers_created_total')
  })

  test('the same-origin guard trusts configured origins only, not one made from a forged Host header', async () => {
    const owner = await harness.signUp('Hosted')
    const { port } = new URL(harness.baseUrl)
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port: Number(port),
          method: 'POST',
          path: '/api/phone-numbers',
          headers: {
            host: 'evil.example',
            origin: 'http://evil.example',
            cookie: owner.cookie,
            'content-type': 'application/json',
          },
        },
        (response) => {
          response.resume()
          resolve(response.statusCode ?? 0)
        },
      )
      request.on('error', reject)
      request.end(JSON.stringify({ areaCode: '415' }))
    })
    expect(status).toBe(403)
  })

  test('the Socket.IO handshake refuses a page from another origin, cookie or not', async () => {
    const owner = await harness.signUp('Socketed')
    await expect(harness.connect(owner.cookie, 'https://evil.example')).rejects.toThrow()
    const socket = await harness.connect(owner.cookie, harness.baseUrl)
    expect(socket.connected).toBe(true)
  })

  test('CSP connect-src names our own WebSocket origin; HSTS only when a trusted proxy says https', async () => {
    const plain = await harness.request('/api/server-info')
    const csp = plain.headers.get('content-security-policy') ?? ''
    const connectSrc = /connect-src ([^;]*)/.exec(csp)?.[1]?.split(' ') ?? []
    expect(connectSrc).toContain(harness.baseUrl.replace('http', 'ws'))
    expect(connectSrc).not.toContain('ws:')
    expect(connectSrc).not.toContain('wss:')
    expect(plain.headers.get('strict-transport-security')).toBeNull()
    const viaTls = await harness.request('/api/server-info', { headers: { 'x-forwarded-proto': 'https' } })
    expect(viaTls.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
    await Promise.all([plain.arrayBuffer(), viaTls.arrayBuffer()])
  })

  test('an unsigned webhook is refused before its (never-coming) body; a signed slow one is cut off', async () => {
    const head = (headers: string) =>
      `POST /webhooks/vapi HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n${headers}\r\n`
    const unsigned = await rawExchange(harness.baseUrl, head(''), { waitMs: 8_000 })
    expect(unsigned.answer).toMatch(/^HTTP\/1.1 401/)
    expect(unsigned.ms).toBeLessThan(3_000)
    const signed = new Headers(harness.signedHeaders('{}'))
    const signedHead = head(
      `x-timestamp: ${signed.get('x-timestamp')}\r\nx-signature: ${signed.get('x-signature')}\r\n`,
    )
    const slow = await rawExchange(harness.baseUrl, signedHead, { waitMs: 20_000 })
    expect(slow.answer).toMatch(/^HTTP\/1.1 400/)
    expect(slow.ms).toBeLessThan(15_000)
  })

  test('a client that hangs up mid-body is not "database unavailable"; an unreadable cursor is a quiet 400', async () => {
    const owner = await harness.signUp('Dropper')
    await rawExchange(
      harness.baseUrl,
      `POST /api/phone-numbers HTTP/1.1\r\nHost: x\r\nOrigin: ${harness.baseUrl}\r\nCookie: ${owner.cookie}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"areaCode":`,
      { waitMs: 1_000, hangUpAfterMs: 200 },
    )
    await new Promise((resolve) => setTimeout(resolve, 500))
    const cursor = Buffer.from(JSON.stringify({ createdAt: '0', id: randomUUID() })).toString('base64url')
    const listed = await harness.request(`/api/phone-numbers?cursor=${cursor}`, { cookie: owner.cookie })
    expect(listed.status).toBe(400)
    await listed.arrayBuffer()
    const levels = lines.map((line) => JSON.parse(line) as { level: number; msg: string })
    expect(levels.filter((line) => line.msg === 'database unavailable')).toEqual([])
    expect(levels.filter((line) => line.level >= 40)).toEqual([])
  })
})
