import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createDatabase } from '../../src/db/create-database.ts'
import { createScratchPostgres } from '../support/test-databases.ts'
import { testDatabaseUrl } from '../support/test-env.ts'
import { harnessSecrets, startSecurityHarness, type SecurityHarness } from './security-harness.ts'

// Two processes behind one load balancer (TRUSTED_PROXY_HOPS=1: the balancer is the TCP peer, 127.0.0.1, and
// appends the client's address to X-Forwarded-For), counting on one Postgres.
describe.runIf(testDatabaseUrl)('limits behind a load balancer, two processes on one Postgres', () => {
  let first: SecurityHarness
  let second: SecurityHarness

  beforeAll(async () => {
    const scratch = await createScratchPostgres(testDatabaseUrl ?? '', { label: 'proxy' })
    const other = await createDatabase({ kind: 'postgres', url: scratch.url })
    const options = { isAuthRateLimitEnabled: true, env: { TRUSTED_PROXY_HOPS: '1' } }
    first = await startSecurityHarness('postgres', { ...options, database: scratch })
    second = await startSecurityHarness('postgres', { ...options, database: { ...other, url: scratch.url } })
  })
  afterAll(async () => {
    await second.close()
    await first.close()
  })

  const signIn = (harness: SecurityHarness, email: string, password: string, clientAddress: string) =>
    harness.request('/api/auth/sign-in/email', {
      method: 'POST',
      headers: { 'x-forwarded-for': `6.6.6.6, ${clientAddress}` },
      json: { email, password },
    })

  test('ten wrong passwords across both processes stop that account only; neighbours behind the proxy sign in', async () => {
    const victim = await first.signUp('Victim')
    const neighbour = await second.signUp('Neighbour')
    const guesser = '203.0.113.66'
    const statuses: number[] = []
    for (let guess = 0; guess < 11; guess++) {
      const response = await signIn(guess % 2 ? first : second, victim.email, `wrong ${guess}`, guesser)
      statuses.push(response.status)
      await response.arrayBuffer()
    }
    // Counted together: each process alone saw 5 or 6 tries.
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true)
    expect(statuses[10]).toBe(429)
    const held = await signIn(first, victim.email, harnessSecrets.password, guesser)
    expect(held.status).toBe(429)
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0)

    // Same proxy, same client address even (one office NAT), another account, right password: signed in.
    for (const [harness, address] of [
      [first, guesser],
      [second, '198.51.100.7'],
    ] as const) {
      const response = await signIn(harness, neighbour.email, harnessSecrets.password, address)
      expect(response.status).toBe(200)
      await response.arrayBuffer()
    }
    console.info(`[security] behind a proxy: ${JSON.stringify(statuses)} for the guessed account; neighbours 200`)
  })

  test('get-session is never limited into a lockout; sign-up is limited per client address, not per proxy', async () => {
    const owner = await first.signUp('Reader')
    const sessions = await Promise.all(
      Array.from({ length: 310 }, (_, index) =>
        (index % 2 ? first : second).request('/api/auth/get-session', {
          cookie: owner.cookie,
          headers: { 'x-forwarded-for': '192.0.2.10' },
        }),
      ),
    )
    expect(sessions.every((response) => response.status === 200)).toBe(true)
    await Promise.all(sessions.map((response) => response.arrayBuffer()))

    const signUp = (address: string) =>
      first.request('/api/auth/sign-up/email', {
        method: 'POST',
        headers: { 'x-forwarded-for': address },
        json: { name: 'Many', email: `many-${randomUUID()}@example.com`, password: harnessSecrets.password },
      })
    const statuses: number[] = []
    for (let index = 0; index < 11; index++) statuses.push((await signUp('192.0.2.20')).status)
    expect(statuses.slice(0, 10).every((status) => status === 200)).toBe(true)
    expect(statuses[10]).toBe(429)
    expect((await signUp('192.0.2.21')).status).toBe(200)
  })

  test('/metrics is not there without METRICS_TOKEN', async () => {
    const response = await first.request('/metrics')
    expect(response.status).toBe(404)
    expect(await response.text()).not.toContain('dialtone_')
  })
})
