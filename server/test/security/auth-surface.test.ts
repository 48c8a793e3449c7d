import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { clientIpHeader } from '../../src/auth/create-auth.ts'
import { demoAccounts, ensureDemoAccounts } from '../../src/auth/ensure-demo-accounts.ts'
import { maxNameLength } from '../../src/auth/name-rules.ts'
import { isOfferedAuthRoute, offeredAuthRoutes } from '../../src/auth/offered-auth-routes.ts'
import { grantPlatformAdmin } from '../../src/auth/organization-repository.ts'
import { testDatabaseKinds } from '../support/test-databases.ts'
import { changeCounters, readErrorBody } from './security-assertions.ts'
import { harnessSecrets, startSecurityHarness, type SecurityHarness } from './security-harness.ts'

const kind = testDatabaseKinds.at(-1) ?? 'pglite'

interface MountedRoute {
  name: string
  method: string
  path: string
}

/** Every route Better Auth mounts on its router, as the library itself describes its endpoints. */
function mountedRoutes(api: object): MountedRoute[] {
  const routes: MountedRoute[] = []
  for (const [name, endpoint] of Object.entries(api as Record<string, unknown>)) {
    const { path, options } = endpoint as {
      path?: string
      options?: { method?: string | string[]; metadata?: { SERVER_ONLY?: boolean } }
    }
    // The router skips endpoints without a path and server-only ones: they have no URL.
    if (!path || options?.metadata?.SERVER_ONLY) continue
    const methods = options?.method === '*' || !options?.method ? ['GET', 'POST'] : [options.method].flat()
    for (const method of methods) routes.push({ name, method, path })
  }
  return routes
}

/** A value's shape: the same keys and the same kinds of values, whatever the values are. */
function shapeOf(value: unknown): unknown {
  if (value === null) return 'null'
  if (Array.isArray(value)) return value.map(shapeOf)
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, shapeOf(inner)]),
    )
  }
  return typeof value
}

describe(`the auth library's surface on ${kind}`, () => {
  let harness: SecurityHarness
  let admin: Awaited<ReturnType<SecurityHarness['signUp']>>

  beforeAll(async () => {
    harness = await startSecurityHarness(kind)
    // The worst case: a signed-in platform admin tries every route.
    admin = await harness.signUp('Platform Admin')
    await grantPlatformAdmin(harness.db, admin.email)
  })
  afterAll(async () => {
    await harness.close()
  })

  test('every route Better Auth mounts is offered on purpose or answers 404', async () => {
    const mounted = mountedRoutes(harness.auth.api)
    // The list is read from the library, not typed by hand: a new version's new route shows up here.
    expect(mounted.length).toBeGreaterThan(50)
    for (const offered of offeredAuthRoutes) {
      expect(mounted, `${offered.method} ${offered.path} is listed as offered but not mounted`).toContainEqual(
        expect.objectContaining({ method: offered.method, path: offered.path }),
      )
      expect(offered.why.length).toBeGreaterThan(10)
    }

    const before = await changeCounters(harness.db)
    const refused: string[] = []
    for (const route of mounted) {
      if (isOfferedAuthRoute(route.method, route.path)) continue
      const path = `/api/auth${route.path.replace(/:[a-zA-Z]+/g, 'x')}`
      const response = await harness.request(path, {
        method: route.method,
        cookie: admin.cookie,
        ...(route.method === 'GET' ? {} : { json: { userId: admin.email, organizationId: admin.organizationId } }),
      })
      expect(response.status, `${route.method} ${path} (${route.name})`).toBe(404)
      expect(await readErrorBody(response)).toMatchObject({ error: { code: 'NOT_FOUND' } })
      refused.push(`${route.method} ${route.path}`)
    }
    expect(await changeCounters(harness.db)).toEqual(before)
    // The admin plugin and the organisation plugin are among the refused, whole.
    for (const path of ['/admin/impersonate-user', '/admin/set-role', '/admin/ban-user', '/admin/set-user-password']) {
      expect(refused).toContain(`POST ${path}`)
    }
    for (const path of ['/admin/create-user', '/admin/remove-user', '/organization/delete', '/organization/create']) {
      expect(refused).toContain(`POST ${path}`)
    }
    console.info(
      `[security] ${mounted.length} mounted auth routes: ${offeredAuthRoutes.length} offered, ${refused.length} → 404`,
    )
  })

  test('the offered routes still work as the web app uses them', async () => {
    const owner = await harness.signUp('Still Works')
    const session = await harness.request('/api/auth/get-session', { cookie: owner.cookie })
    expect(session.status).toBe(200)
    const signIn = await harness.request('/api/auth/sign-in/email', {
      method: 'POST',
      json: { email: owner.email, password: harnessSecrets.password },
    })
    expect(signIn.status).toBe(200)
    expect(((await signIn.json()) as { user: { email: string } }).user.email).toBe(owner.email)
    const signOut = await harness.request('/api/auth/sign-out', { method: 'POST', cookie: owner.cookie, json: {} })
    expect(signOut.status).toBe(200)
    expect(await (await harness.request('/api/auth/get-session', { cookie: owner.cookie })).json()).toBeNull()
  })

  test('impersonating a user is refused and leaves no session behind', async () => {
    const victim = await harness.signUp('Victim')
    const victimId = (
      await harness.db.selectFrom('user').select('id').where('email', '=', victim.email).executeTakeFirstOrThrow()
    ).id
    const response = await harness.request('/api/auth/admin/impersonate-user', {
      method: 'POST',
      cookie: admin.cookie,
      json: { userId: victimId },
    })
    expect(response.status).toBe(404)
    expect(response.headers.get('set-cookie')).toBeNull()
    const impersonations = await harness.db
      .selectFrom('session')
      .select('id')
      .where('impersonatedBy', 'is not', null)
      .execute()
    expect(impersonations).toEqual([])
  })

  test('organization/update with an unknown field is refused, never a 500', async () => {
    const owner = await harness.signUp('Updater')
    const response = await harness.request('/api/auth/organization/update', {
      method: 'POST',
      cookie: owner.cookie,
      json: { organizationId: owner.organizationId, data: { name: 'Renamed', bogus: 'x' } },
    })
    expect(response.status).toBe(404)
    const row = await harness.db
      .selectFrom('organization')
      .select('name')
      .where('id', '=', owner.organizationId)
      .executeTakeFirstOrThrow()
    expect(row.name).not.toBe('Renamed')
  })

  test('names are bounded: a long name is refused with 400 and creates nothing; the organisation name stays within it', async () => {
    const before = await changeCounters(harness.db)
    for (const length of [maxNameLength + 1, 60_000]) {
      const response = await harness.request('/api/auth/sign-up/email', {
        method: 'POST',
        json: { name: 'n'.repeat(length), email: `long-${length}@example.com`, password: harnessSecrets.password },
      })
      expect(response.status, `a name of ${length} characters`).toBe(400)
      expect(await response.json()).toMatchObject({ code: 'INVALID_NAME' })
    }
    expect(await changeCounters(harness.db)).toEqual(before)

    const longest = await harness.signUp('m'.repeat(maxNameLength))
    const organization = await harness.db
      .selectFrom('organization')
      .select('name')
      .where('id', '=', longest.organizationId)
      .executeTakeFirstOrThrow()
    expect(organization.name.length).toBeLessThanOrEqual(maxNameLength)
    expect(organization.name).toMatch(/’s organisation$/)
  })

  test('sign-up does not tell which emails have an account: same status, same body, same Set-Cookie', async () => {
    const taken = await harness.signUp('Taken')
    const answers = []
    for (const email of [taken.email, `fresh-${Date.now()}@example.com`]) {
      const response = await harness.request('/api/auth/sign-up/email', {
        method: 'POST',
        json: { name: 'Someone', email, password: 'another good password' },
      })
      answers.push({
        status: response.status,
        // The cookie's name and attributes, and the length of its value: a decoy must not stand out.
        cookieShape: (response.headers.get('set-cookie') ?? '').replace(
          /=([^;]*)/,
          (_match, value: string) => `=<${decodeURIComponent(value).length}>`,
        ),
        body: (await response.json()) as { user: { email: string; name: string } },
      })
    }
    const [forTaken, forFresh] = answers
    expect(forTaken?.status).toBe(forFresh?.status)
    expect(forTaken?.status).toBe(200)
    expect(shapeOf(forTaken?.body)).toEqual(shapeOf(forFresh?.body))
    expect(forFresh?.cookieShape).toMatch(
      /^dialtone\.session_token=<\d+>; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/,
    )
    expect(forTaken?.cookieShape).toBe(forFresh?.cookieShape)
    expect(forTaken?.body.user).toMatchObject({ email: taken.email, name: 'Someone' })
    // The taken account is untouched: its owner still signs in with their own password.
    const signIn = await harness.request('/api/auth/sign-in/email', {
      method: 'POST',
      json: { email: taken.email, password: harnessSecrets.password },
    })
    expect(signIn.status).toBe(200)
  })

  test('no JSON answer carries the session token: the cookie alone does', async () => {
    const owner = await harness.signUp('Tokenless')
    const token = decodeURIComponent(owner.cookie.replace(/^dialtone\.session_token=/, '')).split('.')[0] ?? ''
    expect(token.length).toBeGreaterThan(10)
    const session = await harness.request('/api/auth/get-session', { cookie: owner.cookie })
    const text = await session.text()
    expect(text).not.toContain(token)
    expect((JSON.parse(text) as { session: Record<string, unknown> }).session).not.toHaveProperty('token')
    const signIn = await harness.request('/api/auth/sign-in/email', {
      method: 'POST',
      json: { email: owner.email, password: harnessSecrets.password },
    })
    const signInBody = (await signIn.json()) as Record<string, unknown>
    expect(signInBody).not.toHaveProperty('token')
    expect(signInBody).toHaveProperty('user')
  })

  test('changing the password ends the other sessions unless asked to keep them', async () => {
    const owner = await harness.signUp('Changer')
    const signInElsewhere = async (password: string) => {
      const response = await harness.request('/api/auth/sign-in/email', {
        method: 'POST',
        json: { email: owner.email, password },
      })
      expect(response.status).toBe(200)
      return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    }
    const isSignedIn = async (cookie: string) =>
      (await (await harness.request('/api/auth/get-session', { cookie })).json()) !== null

    const laptop = await signInElsewhere(harnessSecrets.password)
    const changed = await harness.request('/api/auth/change-password', {
      method: 'POST',
      cookie: owner.cookie,
      json: { currentPassword: harnessSecrets.password, newPassword: 'a brand new password' },
    })
    expect(changed.status).toBe(200)
    expect(await isSignedIn(laptop)).toBe(false)
    const renewed = (changed.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    expect(await isSignedIn(renewed)).toBe(true)

    // Asking explicitly to keep the others still works.
    const phone = await signInElsewhere('a brand new password')
    const kept = await harness.request('/api/auth/change-password', {
      method: 'POST',
      cookie: renewed,
      json: {
        currentPassword: 'a brand new password',
        newPassword: 'yet another password',
        revokeOtherSessions: false,
      },
    })
    expect(kept.status).toBe(200)
    expect(await isSignedIn(phone)).toBe(true)
  })

  test('the demo admin’s published password works from loopback only', async () => {
    await ensureDemoAccounts(harness.auth, harness.db)
    const signInAs = (address: string) =>
      harness.auth.handler(
        new Request(`${harness.baseUrl}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: harness.baseUrl, [clientIpHeader]: address },
          body: JSON.stringify({ email: demoAccounts.admin.email, password: demoAccounts.admin.password }),
        }),
      )
    for (const address of ['203.0.113.7', '10.0.0.5', '::ffff:192.168.1.20', '2001:db8::1']) {
      const response = await signInAs(address)
      expect(response.status, `from ${address}`).toBe(403)
      expect(await response.json()).toMatchObject({ code: 'DEMO_ADMIN_LOOPBACK_ONLY' })
      expect(response.headers.get('set-cookie')).toBeNull()
    }
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect((await signInAs(address)).status, `from ${address}`).toBe(200)
    }
    // Through the app, the address is the TCP peer's (here loopback), whatever the client claims.
    const viaApp = await harness.request('/api/auth/sign-in/email', {
      method: 'POST',
      headers: { [clientIpHeader]: '203.0.113.7' },
      json: { email: demoAccounts.admin.email, password: demoAccounts.admin.password },
    })
    expect(viaApp.status).toBe(200)
    // The demo owner is not the admin: its published password is not limited.
    const owner = await harness.auth.handler(
      new Request(`${harness.baseUrl}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: harness.baseUrl, [clientIpHeader]: '203.0.113.7' },
        body: JSON.stringify({ email: demoAccounts.owner.email, password: demoAccounts.owner.password }),
      }),
    )
    expect(owner.status).toBe(200)
  })
})
