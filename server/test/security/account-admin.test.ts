import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { grantPlatformAdmin } from '../../src/auth/organization-repository.ts'
import { testDatabaseKinds } from '../support/test-databases.ts'
import { readErrorBody } from './security-assertions.ts'
import { startSecurityHarness, type SecurityHarness } from './security-harness.ts'

const kind = testDatabaseKinds.at(-1) ?? 'pglite'

interface AuditItem {
  action: string
  actor: { userId: string | null; email: string | null }
  targetEmail: string | null
}

describe(`platform admins act through dialtone’s routes, with an audit trail, on ${kind}`, () => {
  let harness: SecurityHarness
  let admin: Awaited<ReturnType<SecurityHarness['signUp']>>

  const userIdOf = async (email: string) =>
    (await harness.db.selectFrom('user').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id
  const audit = async () =>
    ((await (await harness.request('/api/admin/audit-log', { cookie: admin.cookie })).json()) as { items: AuditItem[] })
      .items

  beforeAll(async () => {
    harness = await startSecurityHarness(kind)
    admin = await harness.signUp('Root Admin')
    // What `pnpm admin:grant` runs: recorded as done by a command on the server.
    expect(await grantPlatformAdmin(harness.db, admin.email)).toBe(true)
  })
  afterAll(async () => {
    await harness.close()
  })

  test('pnpm admin:grant still grants, and is recorded with no signed-in actor', async () => {
    expect(await grantPlatformAdmin(harness.db, 'nobody@example.com')).toBe(false)
    expect(await audit()).toContainEqual(
      expect.objectContaining({
        action: 'grant-platform-admin',
        actor: { userId: null, email: null },
        targetEmail: admin.email,
      }),
    )
    // Granting again changes nothing and records nothing.
    const before = (await audit()).length
    expect(await grantPlatformAdmin(harness.db, admin.email)).toBe(true)
    expect((await audit()).length).toBe(before)
  })

  test('owners reach none of the account routes', async () => {
    const owner = await harness.signUp('Plain Owner')
    const ownerId = await userIdOf(owner.email)
    for (const [method, path] of [
      ['GET', '/api/admin/users'],
      ['GET', '/api/admin/audit-log'],
      ['POST', `/api/admin/users/${ownerId}/ban`],
      ['PUT', `/api/admin/users/${ownerId}/platform-admin`],
    ] as const) {
      const response = await harness.request(path, {
        method,
        cookie: owner.cookie,
        ...(method === 'POST' ? { json: {} } : {}),
      })
      expect(response.status, `${method} ${path}`).toBe(403)
    }
  })

  test('grant and revoke platform admin: the grantee’s sockets are disconnected, every change is recorded', async () => {
    const grantee = await harness.signUp('New Admin')
    const found = await harness.request(`/api/admin/users?email=${encodeURIComponent(grantee.email)}`, {
      cookie: admin.cookie,
    })
    const items = ((await found.json()) as { items: { id: string; email: string; isPlatformAdmin: boolean }[] }).items
    expect(items).toEqual([expect.objectContaining({ email: grantee.email, isPlatformAdmin: false })])
    const granteeId = items[0]?.id ?? ''

    const socket = await harness.connect(grantee.cookie)
    const disconnected = new Promise<number>((resolve) => {
      const startedAt = performance.now()
      socket.once('disconnect', () => resolve(performance.now() - startedAt))
    })
    const grant = await harness.request(`/api/admin/users/${granteeId}/platform-admin`, {
      method: 'PUT',
      cookie: admin.cookie,
    })
    expect(grant.status).toBe(200)
    expect(await grant.json()).toMatchObject({ id: granteeId, isPlatformAdmin: true })
    expect(await disconnected).toBeLessThan(1_000)
    expect((await harness.request('/api/admin/provisioning-stats', { cookie: grantee.cookie })).status).toBe(200)

    const revoke = await harness.request(`/api/admin/users/${granteeId}/platform-admin`, {
      method: 'DELETE',
      cookie: admin.cookie,
    })
    expect(revoke.status).toBe(200)
    expect((await harness.request('/api/admin/provisioning-stats', { cookie: grantee.cookie })).status).toBe(403)

    const recorded = (await audit()).filter((item) => item.targetEmail === grantee.email).map((item) => item.action)
    expect(recorded).toEqual(['revoke-platform-admin', 'grant-platform-admin'])
    expect((await audit())[0]?.actor).toEqual({ userId: await userIdOf(admin.email), email: admin.email })
  })

  test('an admin cannot ban or demote themselves, and unknown users are 404', async () => {
    const adminId = await userIdOf(admin.email)
    const ban = await harness.request(`/api/admin/users/${adminId}/ban`, {
      method: 'POST',
      cookie: admin.cookie,
      json: {},
    })
    expect(ban.status).toBe(409)
    const demote = await harness.request(`/api/admin/users/${adminId}/platform-admin`, {
      method: 'DELETE',
      cookie: admin.cookie,
    })
    expect(demote.status).toBe(409)
    expect(await readErrorBody(demote)).toMatchObject({ error: { code: 'CONFLICT' } })
    const unknown = await harness.request('/api/admin/users/no-such-user/ban', {
      method: 'POST',
      cookie: admin.cookie,
      json: {},
    })
    expect(unknown.status).toBe(404)
    const unbanNobody = await harness.request(`/api/admin/users/${adminId}/unban`, {
      method: 'POST',
      cookie: admin.cookie,
    })
    expect(unbanNobody.status).toBe(200)
  })
})
