import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { grantPlatformAdmin } from '../../src/auth/organization-repository.ts'
import { testDatabaseKinds } from '../support/test-databases.ts'
import { changeCounters, readErrorBody } from './security-assertions.ts'
import { harnessSecrets, startSecurityHarness, type SecurityHarness } from './security-harness.ts'

const kind = testDatabaseKinds.at(-1) ?? 'pglite'

describe(`deleting an organisation on ${kind}`, () => {
  let harness: SecurityHarness
  let admin: Awaited<ReturnType<SecurityHarness['signUp']>>

  beforeAll(async () => {
    harness = await startSecurityHarness(kind)
    admin = await harness.signUp('Stats Admin')
    await grantPlatformAdmin(harness.db, admin.email)
  })
  afterAll(async () => {
    await harness.close()
  })

  const countRows = async (organizationId: string) => {
    const result = await sql<{ numbers: number; attempts: number }>`select
      (select count(*) from phone_number where organization_id = ${organizationId})::int as numbers,
      (select count(*) from provisioning_attempt where organization_id = ${organizationId})::int as attempts`.execute(
      harness.db,
    )
    return result.rows[0]
  }
  const statsFor = async (organizationId: string) => {
    const response = await harness.request(
      `/api/admin/provisioning-stats?from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}&bucket=hour&organizationId=${organizationId}`,
      { cookie: admin.cookie },
    )
    expect(response.status).toBe(200)
    return ((await response.json()) as { totals: { attempts: number } }).totals.attempts
  }

  test('Better Auth’s organization/delete is refused; the organisation and its live number stay', async () => {
    const owner = await harness.signUp('Library Deleter')
    const created = await harness.request('/api/phone-numbers', {
      method: 'POST',
      cookie: owner.cookie,
      json: { areaCode: '415' },
    })
    expect(created.status).toBe(201)
    const before = await changeCounters(harness.db)
    const response = await harness.request('/api/auth/organization/delete', {
      method: 'POST',
      cookie: owner.cookie,
      json: { organizationId: owner.organizationId },
    })
    expect(response.status).toBe(404)
    expect(await changeCounters(harness.db)).toEqual(before)
    expect(await countRows(owner.organizationId)).toEqual({ numbers: 1, attempts: 1 })
  })

  test('dialtone’s own route refuses while numbers are held, and keeps the history once they are released', async () => {
    const owner = await harness.signUp('Leaving Owner')
    const created = await harness.request('/api/phone-numbers', {
      method: 'POST',
      cookie: owner.cookie,
      json: { areaCode: '415' },
    })
    const number = (await created.json()) as { id: string; vapiPhoneNumberId: string }
    const socket = await harness.connect(owner.cookie)

    const before = await changeCounters(harness.db)
    const refused = await harness.request('/api/organization', { method: 'DELETE', cookie: owner.cookie })
    expect(refused.status).toBe(409)
    const body = await readErrorBody(refused)
    expect(body).toMatchObject({
      error: { code: 'ORGANIZATION_HAS_NUMBERS', details: { pending: 1, active: 0, purchasesUnderWay: 0 } },
    })
    expect(typeof body === 'object' && body.error.message).toMatch(/Release them first/)
    expect(await changeCounters(harness.db)).toEqual(before)
    expect(socket.connected).toBe(true)

    const released = await harness.request(`/api/phone-numbers/${number.id}`, {
      method: 'DELETE',
      cookie: owner.cookie,
    })
    expect(released.status).toBe(200)
    const attemptsInStats = await statsFor(owner.organizationId)
    expect(attemptsInStats).toBe(1)

    const disconnected = new Promise<number>((resolve) => {
      const startedAt = performance.now()
      socket.once('disconnect', () => resolve(performance.now() - startedAt))
    })
    const deleted = await harness.request('/api/organization', { method: 'DELETE', cookie: owner.cookie })
    expect(deleted.status).toBe(200)
    expect(await deleted.json()).toMatchObject({ organization: { id: owner.organizationId } })
    // Removed from the organisation: its sockets end at once (the browser reconnects to its new organisation).
    expect(await disconnected).toBeLessThan(1_000)

    // The history survives: rows, statistics, and the number stays released at Vapi.
    expect(await countRows(owner.organizationId)).toEqual({ numbers: 1, attempts: 1 })
    expect(await statsFor(owner.organizationId)).toBe(attemptsInStats)
    const atVapi = (await (await fetch(`${harness.sandbox.url}/_sandbox/phone-numbers`)).json()) as {
      id: string
      releasedAt: string | null
    }[]
    expect(atVapi.find((held) => held.id === number.vapiPhoneNumberId)?.releasedAt).toEqual(expect.any(String))

    // The owner keeps their account and gets a new, empty organisation; the old one's numbers are out of reach.
    const list = await harness.request('/api/phone-numbers', { cookie: owner.cookie })
    expect(list.status).toBe(200)
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([])
    expect((await harness.request(`/api/phone-numbers/${number.id}`, { cookie: owner.cookie })).status).toBe(404)
    const signIn = await harness.request('/api/auth/sign-in/email', {
      method: 'POST',
      json: { email: owner.email, password: harnessSecrets.password },
    })
    expect(signIn.status).toBe(200)

    // The platform admins see who deleted what.
    const audit = await harness.request('/api/admin/audit-log', { cookie: admin.cookie })
    const items = (
      (await audit.json()) as { items: { action: string; targetOrganizationId: string; actor: { email: string } }[] }
    ).items
    expect(items.find((item) => item.targetOrganizationId === owner.organizationId)).toMatchObject({
      action: 'delete-organization',
      actor: { email: owner.email },
    })
  })

  test('the database keeps the history too: removing the row is refused, and a deleted organisation takes no attempt', async () => {
    const owner = await harness.signUp('Hard Delete')
    const created = await harness.request('/api/phone-numbers', {
      method: 'POST',
      cookie: owner.cookie,
      json: { areaCode: '415' },
    })
    const number = (await created.json()) as { id: string }
    await harness.request(`/api/phone-numbers/${number.id}`, { method: 'DELETE', cookie: owner.cookie })
    expect((await harness.request('/api/organization', { method: 'DELETE', cookie: owner.cookie })).status).toBe(200)

    await expect(
      harness.db.deleteFrom('organization').where('id', '=', owner.organizationId).execute(),
    ).rejects.toThrow()
    expect(await countRows(owner.organizationId)).toEqual({ numbers: 1, attempts: 1 })
    await expect(
      harness.db
        .insertInto('provisioning_attempt')
        .values({
          organization_id: owner.organizationId,
          area_code: '415',
          outcome: 'in_flight',
          requested_at: new Date(),
        })
        .execute(),
    ).rejects.toThrow(/deleted/)
  })
})
