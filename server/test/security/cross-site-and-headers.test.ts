import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { grantPlatformAdmin } from '../../src/auth/organization-repository.ts'
import { testDatabaseKinds } from '../support/test-databases.ts'
import { changeCounters, readErrorBody } from './security-assertions.ts'
import { startSecurityHarness, type SecurityHarness } from './security-harness.ts'

const kind = testDatabaseKinds.at(-1) ?? 'pglite'

/** What a page on another site can make a victim's browser send (the browser adds Origin and Sec-Fetch-Site). */
const crossSiteHeaders: Record<string, Record<string, string>> = {
  'Origin of another site': { origin: 'https://evil.example' },
  'Origin null (sandboxed frame)': { origin: 'null' },
  'Origin that only starts like ours': { origin: 'http://127.0.0.1.evil.example' },
  'our Origin but Sec-Fetch-Site cross-site': { 'sec-fetch-site': 'cross-site' },
  'another site, both headers': { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
}

describe(`cross-site requests, headers and admin on ${kind}`, () => {
  let harness: SecurityHarness
  let owner: Awaited<ReturnType<SecurityHarness['signUp']>>
  let pendingId: string

  beforeAll(async () => {
    harness = await startSecurityHarness(kind)
    owner = await harness.signUp('Victim')
    const created = await harness.request('/api/phone-numbers', {
      method: 'POST',
      cookie: owner.cookie,
      json: { areaCode: '415' },
    })
    pendingId = ((await created.json()) as { id: string }).id
  })
  afterAll(async () => {
    await harness.close()
  })

  test('mutations on /api from another site are refused before they run', async () => {
    const before = await changeCounters(harness.db)
    const mutations = [
      { method: 'POST', path: '/api/phone-numbers', json: { areaCode: '212' } },
      { method: 'POST', path: '/api/phone-numbers/refresh', json: {} },
      { method: 'POST', path: `/api/phone-numbers/${pendingId}/refresh`, json: {} },
      { method: 'DELETE', path: `/api/phone-numbers/${pendingId}` },
    ]
    let tried = 0
    for (const [how, headers] of Object.entries(crossSiteHeaders)) {
      for (const { method, path, json } of mutations) {
        tried += 1
        const response = await harness.request(path, {
          method,
          cookie: owner.cookie,
          headers,
          ...(json ? { json } : {}),
        })
        expect(response.status, `${method} ${path} with ${how}`).toBe(403)
        expect(await readErrorBody(response)).toMatchObject({ error: { code: 'FORBIDDEN' } })
      }
    }
    expect(await changeCounters(harness.db)).toEqual(before)
    console.info(`[security] ${tried} cross-site API mutations → all 403, nothing changed`)
  })

  test('sign-out and sign-in from another site are refused and the session survives', async () => {
    let tried = 0
    for (const [how, headers] of Object.entries(crossSiteHeaders)) {
      tried += 2
      const signOut = await harness.request('/api/auth/sign-out', {
        method: 'POST',
        cookie: owner.cookie,
        headers,
        json: {},
      })
      expect(signOut.status, `sign-out with ${how}`).toBe(403)
      // Login CSRF: signing the victim into the attacker's account is refused too.
      const signIn = await harness.request('/api/auth/sign-in/email', {
        method: 'POST',
        headers,
        json: { email: owner.email, password: 'wrong password entirely' },
      })
      expect(signIn.status, `sign-in with ${how}`).toBe(403)
    }
    const stillSignedIn = await harness.request('/api/phone-numbers', { cookie: owner.cookie })
    expect(stillSignedIn.status).toBe(200)
    console.info(`[security] ${tried} cross-site sign-out/sign-in attempts → all 403, session intact`)
  })

  test('reads from another site get no CORS permission to see the answer', async () => {
    const response = await harness.request('/api/phone-numbers', {
      cookie: owner.cookie,
      headers: { origin: 'https://evil.example' },
    })
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    expect(response.headers.get('access-control-allow-credentials')).toBeNull()
    await response.arrayBuffer()
  })

  test('every kind of answer carries the security headers', async () => {
    const answers = {
      health: await fetch(`${harness.baseUrl}/healthz`),
      api: await harness.request('/api/phone-numbers', { cookie: owner.cookie }),
      unauthenticated: await harness.request('/api/phone-numbers'),
      notFound: await harness.request('/api/nothing-here', { cookie: owner.cookie }),
      auth: await harness.request('/api/auth/get-session', { cookie: owner.cookie }),
      webhook: await fetch(`${harness.baseUrl}/webhooks/vapi`, { method: 'POST', body: '{}' }),
      page: await fetch(`${harness.baseUrl}/some/client/route`),
    }
    for (const [name, response] of Object.entries(answers)) {
      const headers = response.headers
      const csp = headers.get('content-security-policy') ?? ''
      expect(csp, name).toContain("default-src 'self'")
      expect(csp, name).toContain("frame-ancestors 'none'")
      expect(csp, name).not.toContain("'unsafe-eval'")
      expect(csp, name).toMatch(/script-src 'self'(;|$)/)
      expect(headers.get('x-content-type-options'), name).toBe('nosniff')
      expect(headers.get('x-frame-options'), name).toMatch(/^(DENY|SAMEORIGIN)$/)
      expect(headers.get('referrer-policy'), name).toMatch(
        /^(no-referrer|same-origin|strict-origin(-when-cross-origin)?)$/,
      )
      expect(headers.get('x-powered-by'), name).toBeNull()
      await response.arrayBuffer()
    }
  })

  test('the session cookie is HttpOnly and SameSite', () => {
    expect(owner.setCookie).toMatch(/^dialtone\.session_token=/)
    expect(owner.setCookie).toMatch(/;\s*HttpOnly/i)
    expect(owner.setCookie).toMatch(/;\s*SameSite=Lax/i)
  })

  test('admin endpoints answer 401 to anonymous callers and 403 to owners, for any admin path', async () => {
    for (const path of ['/api/admin/provisioning-stats', '/api/admin/provisioning-stats?bucket=day', '/api/admin/x']) {
      const anonymous = await harness.request(path)
      expect(anonymous.status, path).toBe(401)
      expect(await readErrorBody(anonymous)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } })
      const asOwner = await harness.request(path, { cookie: owner.cookie })
      expect(asOwner.status, path).toBe(403)
      expect(await readErrorBody(asOwner)).toMatchObject({ error: { code: 'FORBIDDEN' } })
    }
    const admin = await harness.signUp('Admin')
    expect(await grantPlatformAdmin(harness.db, admin.email)).toBe(true)
    const asAdmin = await harness.request('/api/admin/provisioning-stats', { cookie: admin.cookie })
    expect(asAdmin.status).toBe(200)
    await asAdmin.arrayBuffer()
  })
})
