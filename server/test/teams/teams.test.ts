import { randomUUID } from 'node:crypto'
import { auditLogResponseSchema } from '@dialtone/shared/audit-log'
import { invitationSchema, membersResponseSchema } from '@dialtone/shared/teams'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { grantPlatformAdmin } from '../../src/auth/organization-repository.ts'
import { pruneAuditEvents, recordAuditEvent } from '../../src/audit/audit-repository.ts'
import { systemAuditActor } from '../../src/audit/audit-actor.ts'
import { runNotificationRound } from '../../src/notifications/notification-worker.ts'
import { testDatabaseKinds } from '../support/test-databases.ts'
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver.ts'
import { disconnection, disconnectWithinMs, readErrorBody } from '../security/security-assertions.ts'
import { startSecurityHarness, type SecurityHarness } from '../security/security-harness.ts'

type Account = Awaited<ReturnType<SecurityHarness['signUp']>>

describe.each(testDatabaseKinds)('teams: roles, invitations and the audit log on %s', (kind) => {
  let harness: SecurityHarness
  let smtp: SmtpReceiver
  let owner: Account

  const json = async (response: Response) => (await response.json()) as Record<string, unknown>
  const buy = (cookie: string) =>
    harness.request('/api/phone-numbers', { method: 'POST', cookie, json: { areaCode: '415' } })
  const listIds = async (cookie: string) => {
    const response = await harness.request('/api/phone-numbers', { cookie })
    expect(response.status).toBe(200)
    return ((await response.json()) as { items: { id: string }[] }).items.map((item) => item.id).sort()
  }
  const invite = async (email: string, role: 'admin' | 'member' = 'member', cookie = owner.cookie) => {
    const response = await harness.request('/api/invitations', { method: 'POST', cookie, json: { email, role } })
    expect(response.status, await response.clone().text()).toBe(201)
    return invitationSchema.parse(await response.json())
  }
  const accept = (invitationId: string, cookie: string) =>
    harness.request(`/api/invitations/${invitationId}/accept`, { method: 'POST', cookie, json: {} })
  const switchTo = async (cookie: string, organizationId: string) => {
    const response = await harness.request('/api/auth/organization/set-active', {
      method: 'POST',
      cookie,
      json: { organizationId },
    })
    await response.arrayBuffer()
    expect(response.status).toBe(200)
  }
  /** Invites a fresh account as `role`, which accepts and acts for the owner's organisation. */
  const joinAs = async (role: 'admin' | 'member', name: string) => {
    const person = await harness.signUp(name)
    const invitation = await invite(person.email, role)
    expect((await accept(invitation.id, person.cookie)).status).toBe(200)
    await switchTo(person.cookie, owner.organizationId)
    return person
  }
  const members = async (cookie = owner.cookie) => {
    const response = await harness.request('/api/members', { cookie })
    expect(response.status).toBe(200)
    return membersResponseSchema.parse(await response.json())
  }
  const memberIdOf = async (email: string) => {
    const member = (await members()).items.find((item) => item.email === email)
    if (!member) throw new Error(`${email} is not a member`)
    return member.id
  }
  const auditLog = async (query = '') => {
    const response = await harness.request(`/api/audit-log${query}`, { cookie: owner.cookie })
    expect(response.status).toBe(200)
    return auditLogResponseSchema.parse(await response.json()).items
  }

  beforeAll(async () => {
    smtp = await startSmtpReceiver()
    harness = await startSecurityHarness(kind, { env: { SMTP_URL: smtp.url, MAIL_FROM: 'dialtone@example.com' } })
    owner = await harness.signUp('Team Owner')
  })
  afterAll(async () => {
    await harness.close()
    await smtp.stop()
  })

  test('a member lists and checks numbers but may not buy, release, change settings or manage members', async () => {
    const bought = await buy(owner.cookie)
    expect(bought.status).toBe(201)
    const number = (await bought.json()) as { id: string }
    const member = await joinAs('member', 'Watcher')

    expect(await listIds(member.cookie)).toContain(number.id)
    expect(
      (
        await harness.request(`/api/phone-numbers/${number.id}/refresh`, {
          method: 'POST',
          cookie: member.cookie,
          json: {},
        })
      ).status,
    ).toBe(200)
    expect(
      (await harness.request('/api/phone-numbers/refresh', { method: 'POST', cookie: member.cookie, json: {} })).status,
    ).toBe(200)

    const refusals = [
      { path: '/api/phone-numbers', method: 'POST', json: { areaCode: '415' }, required: 'numbers:write' },
      { path: `/api/phone-numbers/${number.id}`, method: 'DELETE', required: 'numbers:write' },
      {
        path: '/api/webhook-endpoints',
        method: 'POST',
        json: { url: 'https://example.com/hook' },
        required: 'settings:write',
      },
      { path: '/api/webhook-endpoints', method: 'GET', required: 'settings:write' },
      { path: '/api/organization', method: 'DELETE', required: 'settings:write' },
      { path: '/api/audit-log', method: 'GET', required: 'settings:write' },
      { path: '/api/invitations', method: 'POST', json: { email: 'x@example.com' }, required: 'members:manage' },
    ]
    for (const refusal of refusals) {
      const response = await harness.request(refusal.path, {
        method: refusal.method,
        cookie: member.cookie,
        ...(refusal.json ? { json: refusal.json } : {}),
      })
      expect(response.status, `${refusal.method} ${refusal.path}`).toBe(403)
      expect(await readErrorBody(response)).toMatchObject({
        error: { code: 'FORBIDDEN', details: { required: refusal.required } },
      })
    }
    // Nothing was bought, released or registered by the refused requests.
    expect(await listIds(owner.cookie)).toEqual(await listIds(member.cookie))
    const row = await harness.db
      .selectFrom('phone_number')
      .select('status')
      .where('id', '=', number.id)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('pending')
    expect(
      await harness.db
        .selectFrom('webhook_endpoint')
        .select('id')
        .where('organization_id', '=', owner.organizationId)
        .execute(),
    ).toEqual([])
  })

  test('an invitation by email arrives over SMTP; the invited person signs up, accepts and sees the same numbers', async () => {
    const email = `invitee-${randomUUID()}@example.com`
    const invitation = await invite(email, 'admin')
    expect(invitation.acceptUrl).toBe(`${harness.baseUrl}/invitations/${invitation.id}`)
    await runNotificationRound(harness.notifications, { shouldEvaluateAlerts: false })
    const [mail] = smtp.to(email)
    expect(mail?.parsed.subject).toMatch(/invited you to/)
    expect(mail?.parsed.text).toContain(invitation.acceptUrl)

    // Someone else holding the link cannot use it.
    const stranger = await harness.signUp('Stranger')
    const refused = await accept(invitation.id, stranger.cookie)
    expect(refused.status).toBe(403)
    expect(await readErrorBody(refused)).toMatchObject({ error: { code: 'INVITATION_FOR_ANOTHER_EMAIL' } })

    const invitee = await harness.signUp('Invitee', email)
    const accepted = await accept(invitation.id, invitee.cookie)
    expect(accepted.status).toBe(200)
    expect(await json(accepted)).toMatchObject({ organization: { id: owner.organizationId }, role: 'admin' })
    const organizations = (await json(await harness.request('/api/organizations', { cookie: invitee.cookie }))) as {
      items: { id: string; role: string }[]
    }
    expect(organizations.items.map((item) => item.id)).toEqual([invitee.organizationId, owner.organizationId])

    // Before switching they act for their own organisation; after, for the team's.
    expect(await listIds(invitee.cookie)).toEqual([])
    await switchTo(invitee.cookie, owner.organizationId)
    expect(await listIds(invitee.cookie)).toEqual(await listIds(owner.cookie))
    // The link works once; a second accept is the same answer, not a second membership.
    expect((await accept(invitation.id, invitee.cookie)).status).toBe(200)
    expect((await members()).items.filter((item) => item.email === email)).toHaveLength(1)
  })

  test('an expired invitation is refused with 410 and makes no member', async () => {
    const person = await harness.signUp('Late')
    const invitation = await invite(person.email)
    await harness.db
      .updateTable('invitation')
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where('id', '=', invitation.id)
      .execute()
    const response = await accept(invitation.id, person.cookie)
    expect(response.status).toBe(410)
    expect(await readErrorBody(response)).toMatchObject({ error: { code: 'INVITATION_EXPIRED' } })
    expect((await members()).items.some((item) => item.email === person.email)).toBe(false)
  })

  test('removing a member closes their socket within a second and refuses their next request for that organisation', async () => {
    const bought = (await (await buy(owner.cookie)).json()) as { id: string }
    const member = await joinAs('member', 'Leaving Soon')
    const socket = await harness.connect(member.cookie)
    const ended = disconnection(socket)
    const removed = await harness.request(`/api/members/${await memberIdOf(member.email)}`, {
      method: 'DELETE',
      cookie: owner.cookie,
    })
    expect(removed.status).toBe(204)
    const { ms } = await ended
    expect(ms).toBeLessThan(disconnectWithinMs)
    console.info(`[teams] socket of a removed member closed after ${Math.round(ms)} ms`)

    // Still signed in, they now act for their own organisation only: the team's number is not theirs to see.
    expect((await harness.request(`/api/phone-numbers/${bought.id}`, { cookie: member.cookie })).status).toBe(404)
    expect(await listIds(member.cookie)).toEqual([])
    const setBack = await harness.request('/api/auth/organization/set-active', {
      method: 'POST',
      cookie: member.cookie,
      json: { organizationId: owner.organizationId },
    })
    expect(setBack.status).toBe(403)
  })

  test('a role change applies to the next request and reconnects open sockets', async () => {
    const person = await joinAs('member', 'Promoted')
    expect((await buy(person.cookie)).status).toBe(403)
    const socket = await harness.connect(person.cookie)
    const ended = disconnection(socket)
    const changed = await harness.request(`/api/members/${await memberIdOf(person.email)}`, {
      method: 'PATCH',
      cookie: owner.cookie,
      json: { role: 'admin' },
    })
    expect(changed.status).toBe(200)
    expect((await ended).ms).toBeLessThan(disconnectWithinMs)
    expect((await buy(person.cookie)).status).toBe(201)
    // An admin still may not manage members.
    expect(
      (
        await harness.request('/api/invitations', {
          method: 'POST',
          cookie: person.cookie,
          json: { email: 'y@example.com' },
        })
      ).status,
    ).toBe(403)
  })

  test('the last owner can neither leave nor be demoted (409); with a second owner they can', async () => {
    const ownerMemberId = await memberIdOf(owner.email)
    for (const [method, json] of [
      ['DELETE', undefined],
      ['PATCH', { role: 'admin' }],
    ] as const) {
      const response = await harness.request(`/api/members/${ownerMemberId}`, {
        method,
        cookie: owner.cookie,
        ...(json ? { json } : {}),
      })
      expect(response.status, method).toBe(409)
      expect(await readErrorBody(response)).toMatchObject({ error: { code: 'LAST_OWNER' } })
    }
    expect((await members()).items.find((item) => item.id === ownerMemberId)?.role).toBe('owner')

    const second = await joinAs('admin', 'Second Owner')
    const promoted = await harness.request(`/api/members/${await memberIdOf(second.email)}`, {
      method: 'PATCH',
      cookie: owner.cookie,
      json: { role: 'owner' },
    })
    expect(promoted.status).toBe(200)
    // Now the second owner is refused the same way when alone after the first leaves.
    const demoteFirst = await harness.request(`/api/members/${ownerMemberId}`, {
      method: 'PATCH',
      cookie: second.cookie,
      json: { role: 'admin' },
    })
    expect(demoteFirst.status).toBe(200)
    const secondMemberId = await memberIdOf(second.email)
    const leave = await harness.request(`/api/members/${secondMemberId}`, { method: 'DELETE', cookie: second.cookie })
    expect(leave.status).toBe(409)
    // Put things back for the tests after this one.
    expect(
      (
        await harness.request(`/api/members/${ownerMemberId}`, {
          method: 'PATCH',
          cookie: second.cookie,
          json: { role: 'owner' },
        })
      ).status,
    ).toBe(200)
  })

  test('every purchase, assignment, release, connection and member change is in the audit log with its actor', async () => {
    const admin = await joinAs('admin', 'Auditable Admin')
    const bought = (await (await buy(admin.cookie)).json()) as { id: string }
    const assistants = (await (await harness.request('/api/assistants', { cookie: admin.cookie })).json()) as {
      items: { id: string; name: string | null }[]
    }
    const assistant = assistants.items[0]
    if (!assistant) throw new Error('the organisation’s sandbox account has no assistants')
    const assigned = await harness.request(`/api/phone-numbers/${bought.id}`, {
      method: 'PATCH',
      cookie: admin.cookie,
      json: { assistantId: assistant.id },
    })
    expect(assigned.status).toBe(200)
    const released = await harness.request(`/api/phone-numbers/${bought.id}`, {
      method: 'DELETE',
      cookie: admin.cookie,
    })
    expect(released.status).toBe(200)
    const events = await auditLog('?limit=500')
    const find = (action: string, targetId: string) =>
      events.find((event) => event.action === action && event.target.id === targetId)
    expect(find('phone-number.purchase', bought.id)?.actor).toMatchObject({ type: 'user', label: admin.email })
    expect(find('phone-number.release', bought.id)?.actor).toMatchObject({ type: 'user', label: admin.email })
    expect(find('phone-number.purchase', bought.id)?.clientAddress).toMatch(/127\.0\.0\.1/)
    const assignment = find('phone-number.assign', bought.id)
    expect(assignment?.actor).toMatchObject({ type: 'user', label: admin.email })
    expect(assignment?.details).toMatchObject({ assistantBefore: null, assistantAfter: { id: assistant.id } })
    expect(
      events.find((event) => event.action === 'invitation.create' && event.target.label === admin.email)?.actor.label,
    ).toBe(owner.email)
    expect(
      events.find((event) => event.action === 'invitation.accept' && event.target.label === admin.email)?.actor.label,
    ).toBe(admin.email)
    expect(events.some((event) => event.action === 'member.remove')).toBe(true)
    expect(events.some((event) => event.action === 'member.role-change' && event.details.to === 'admin')).toBe(true)
    expect(events.some((event) => event.action === 'phone-number.check-all')).toBe(true)
    // No event leaks an invitation's secret id.
    const invitationIds = await harness.db.selectFrom('invitation').select('id').execute()
    expect(invitationIds.length).toBeGreaterThan(3)
    for (const { id } of invitationIds) expect(JSON.stringify(events)).not.toContain(id)

    // Filters and pages.
    const purchases = await auditLog(`?action=phone-number.purchase&actor=${encodeURIComponent(admin.email)}`)
    expect(purchases.map((event) => event.target.id)).toEqual([bought.id])
    const firstPage = await harness.request('/api/audit-log?limit=2', { cookie: owner.cookie })
    const page = auditLogResponseSchema.parse(await firstPage.json())
    expect(page.items).toHaveLength(2)
    const second = auditLogResponseSchema.parse(
      await (
        await harness.request(`/api/audit-log?limit=2&cursor=${page.nextCursor}`, { cookie: owner.cookie })
      ).json(),
    )
    expect(Number(second.items[0]?.id)).toBeLessThan(Number(page.items[1]?.id))
    // A connection change names who made it and never the key.
    const disconnected = await harness.request('/api/connections/vapi', { method: 'DELETE', cookie: owner.cookie })
    expect(disconnected.status).toBe(200)
    const connectionEvents = (await auditLog('?action=connection.delete')).filter(
      (event) => event.target.type === 'connection',
    )
    expect(connectionEvents[0]?.actor.label).toBe(owner.email)

    // Another organisation sees none of it.
    const outsider = await harness.signUp('Outsider')
    const theirs = auditLogResponseSchema.parse(
      await (await harness.request('/api/audit-log', { cookie: outsider.cookie })).json(),
    )
    expect(theirs.items.every((event) => event.organizationId === outsider.organizationId)).toBe(true)
  })

  test('the CSV export quotes fields and defuses formulas', async () => {
    const name = '=HYPERLINK("http://e.vil", "x"), +1'
    const bought = await harness.request('/api/phone-numbers', {
      method: 'POST',
      cookie: owner.cookie,
      json: { areaCode: '415', name },
    })
    expect(bought.status).toBe(201)
    const { id } = (await bought.json()) as { id: string }
    const response = await harness.request(`/api/audit-log?format=csv&target=${id}`, { cookie: owner.cookie })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(response.headers.get('content-disposition')).toMatch(/attachment/)
    const [header, row, rest] = (await response.text()).split('\r\n')
    expect(header).toBe(
      'at,organization_id,actor_type,actor_id,actor,action,target_type,target_id,target,client_address,details',
    )
    expect(rest).toBe('')
    // The name starts with = (a formula): an apostrophe makes it text; its quotes and commas are quoted.
    expect(row).toContain(`,phone-number.purchase,phone-number,${id},"'=HYPERLINK(""http://e.vil"", ""x""), +1",`)
    // (jsonb keeps shorter keys first.)
    expect(row).toMatch(/,"\{""status"":""pending"",""areaCode"":""415""\}"$/)
  })

  test('platform admins read every organisation’s events; others are refused; old events are pruned', async () => {
    expect((await buy(owner.cookie)).status).toBe(201)
    const admin = await harness.signUp('Platform Admin')
    await grantPlatformAdmin(harness.db, admin.email)
    const all = await harness.request('/api/admin/organization-audit-log?limit=500', { cookie: admin.cookie })
    expect(all.status).toBe(200)
    const organizations = new Set(
      auditLogResponseSchema.parse(await all.json()).items.map((event) => event.organizationId),
    )
    expect(organizations.has(owner.organizationId)).toBe(true)
    const one = await harness.request(`/api/admin/organization-audit-log?organizationId=${owner.organizationId}`, {
      cookie: admin.cookie,
    })
    const items = auditLogResponseSchema.parse(await one.json()).items
    expect(items.length).toBeGreaterThan(0)
    expect(items.every((event) => event.organizationId === owner.organizationId)).toBe(true)
    expect((await harness.request('/api/admin/organization-audit-log', { cookie: owner.cookie })).status).toBe(403)
    // The account-admin log keeps its shape.
    const accounts = await harness.request('/api/admin/audit-log', { cookie: admin.cookie })
    expect(Object.keys((await accounts.json()) as object)).toEqual(['items'])

    // Retention: an event older than the cut is deleted, a newer one stays; secrets never reach the row.
    await recordAuditEvent(harness.db, {
      organizationId: owner.organizationId,
      actor: systemAuditActor,
      action: 'test.old',
      target: { type: 'test' },
      details: { secret: 'whsec_should-not-be-stored', nested: { apiKey: 'dt_live_x' }, kept: 'yes' },
    })
    const [stored] = await auditLog('?action=test.old')
    expect(stored?.details).toEqual({ secret: '[redacted]', nested: { apiKey: '[redacted]' }, kept: 'yes' })
    await harness.db
      .updateTable('audit_event')
      .set({ at: new Date(Date.now() - 400 * 24 * 60 * 60 * 1000) })
      .where('action', '=', 'test.old')
      .execute()
    const before = (await auditLog('?limit=500')).length
    expect(await pruneAuditEvents(harness.db, { olderThan: new Date(Date.now() - 365 * 24 * 60 * 60 * 1000) })).toBe(1)
    expect(await auditLog('?action=test.old')).toEqual([])
    expect((await auditLog('?limit=500')).length).toBe(before - 1)
  })
})
