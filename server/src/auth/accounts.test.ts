import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { grantPlatformAdmin } from './organization-repository.ts'

describe.each(testDatabaseKinds)('accounts on %s', (kind) => {
  let harness: TestApp
  beforeAll(async () => {
    harness = await startTestApp(kind)
  })
  afterAll(async () => {
    await harness.close()
  })

  test('sign-up creates a user with an organisation of their own and sets an httpOnly session cookie', async () => {
    const response = await harness.request('/api/auth/sign-up/email', {
      method: 'POST',
      json: { name: 'Ada Owner', email: 'ada@example.com', password: 'correct horse battery' },
    })
    expect(response.status).toBe(200)
    const setCookie = response.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(/^dialtone\.session_token=/)
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Lax/i)

    const cookie = setCookie.split(';')[0] ?? ''
    const session = await harness.request('/api/auth/get-session', { cookie })
    const body = (await session.json()) as { user: { email: string; name: string; id: string } }
    expect(body.user).toMatchObject({ email: 'ada@example.com', name: 'Ada Owner' })

    const membership = await harness.db
      .selectFrom('member')
      .innerJoin('organization', 'organization.id', 'member.organizationId')
      .select(['organization.name', 'member.role'])
      .where('member.userId', '=', body.user.id)
      .execute()
    expect(membership).toEqual([{ name: 'Ada Owner’s organisation', role: 'owner' }])
  })

  test('the session names the user and the organisation the API acts for', async () => {
    const owner = await harness.signUp('Grace')
    const response = await harness.request('/api/phone-numbers', { cookie: owner.cookie })
    expect(response.status).toBe(200)
    const session = (await (await harness.request('/api/auth/get-session', { cookie: owner.cookie })).json()) as {
      user: { id: string }
      session: { userId: string }
    }
    expect(session.user.id).toBe(owner.userId)
    expect(session.session.userId).toBe(owner.userId)
    const row = await harness.db
      .selectFrom('member')
      .select('organizationId')
      .where('userId', '=', owner.userId)
      .executeTakeFirstOrThrow()
    expect(row.organizationId).toBe(owner.organizationId)
  })

  test('a user of one organisation cannot read another organisation’s rows', async () => {
    const alice = await harness.signUp('Alice')
    const bob = await harness.signUp('Bob')
    const created = await harness.db
      .insertInto('phone_number')
      .values({
        organization_id: alice.organizationId,
        vapi_phone_number_id: `vapi-${alice.userId}`,
        name: 'Alice line',
        area_code: '415',
        number: '+14155550123',
        status: 'active',
        failure_code: null,
        failure_reason: null,
        detected_by: 'poll',
      })
      .returning('id')
      .executeTakeFirstOrThrow()

    const aliceList = (await (await harness.request('/api/phone-numbers', { cookie: alice.cookie })).json()) as {
      items: { id: string }[]
    }
    expect(aliceList.items.map((item) => item.id)).toEqual([created.id])

    const bobList = (await (await harness.request('/api/phone-numbers', { cookie: bob.cookie })).json()) as {
      items: unknown[]
    }
    expect(bobList.items).toEqual([])
    const bobRead = await harness.request(`/api/phone-numbers/${created.id}`, { cookie: bob.cookie })
    expect(bobRead.status).toBe(404)
    expect(await bobRead.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No such phone number.' } })
  })

  test('a wrong password gets a clear error and no session', async () => {
    const owner = await harness.signUp('Hopper')
    const response = await harness.request('/api/auth/sign-in/email', {
      method: 'POST',
      json: { email: owner.email, password: 'not the password' },
    })
    expect(response.status).toBe(401)
    expect(response.headers.get('set-cookie') ?? '').not.toMatch(/session_token=[^;]/)
    expect(await response.json()).toMatchObject({
      code: 'INVALID_EMAIL_OR_PASSWORD',
      message: 'Invalid email or password',
    })
  })

  test('a duplicate email answers like a new account (nothing tells it is taken), its cookie opens no session, creates nothing', async () => {
    const owner = await harness.signUp('Lovelace')
    const before = await harness.db
      .selectFrom('organization')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const response = await harness.request('/api/auth/sign-up/email', {
      method: 'POST',
      json: { name: 'Someone else', email: owner.email, password: 'another good password' },
    })
    expect(response.status).toBe(200)
    // A decoy session cookie, shaped like a real one (so its presence tells nothing), that opens no session.
    const decoy = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    expect(decoy).toMatch(/session_token=/)
    const session = await harness.request('/api/auth/get-session', { cookie: decoy })
    expect(await session.json()).toBeNull()
    const body = (await response.json()) as { user: { email: string; id: string } }
    expect(body.user.email).toBe(owner.email)
    expect(body.user.id).not.toBe(owner.userId)
    const after = await harness.db
      .selectFrom('organization')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  test('the API refuses requests without a session, and admin routes refuse owners', async () => {
    const anonymous = await harness.request('/api/phone-numbers')
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Sign in to continue.' } })

    const owner = await harness.signUp('Turing')
    const forbidden = await harness.request('/api/admin/provisioning-stats', { cookie: owner.cookie })
    expect(forbidden.status).toBe(403)
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN')

    expect(await grantPlatformAdmin(harness.db, owner.email)).toBe(true)
    const allowed = await harness.request('/api/admin/provisioning-stats', { cookie: owner.cookie })
    expect(allowed.status).toBe(200)
  })

  test('a mutation from another site is refused before it runs', async () => {
    const owner = await harness.signUp('Knuth')
    const response = await harness.app.request('/api/phone-numbers', {
      method: 'POST',
      headers: { cookie: owner.cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ areaCode: '415' }),
    })
    expect(response.status).toBe(403)
    const rows = await harness.db.selectFrom('provisioning_attempt').select('id').execute()
    expect(rows).toEqual([])
  })
})
