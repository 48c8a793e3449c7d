import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { grantPlatformAdmin } from '../../src/auth/organization-repository.ts'
import { testDatabaseKinds } from '../support/test-databases.ts'
import { disconnection, disconnectWithinMs } from './security-assertions.ts'
import { harnessSecrets, startSecurityHarness, type HarnessSocket, type SecurityHarness } from './security-harness.ts'

const kind = testDatabaseKinds.at(-1) ?? 'pglite'
function nextEvent<Name extends 'phone-number:updated' | 'provisioning-stats:changed'>(
  socket: HarnessSocket,
  name: Name,
  timeoutMs = 5_000,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} within ${timeoutMs} ms`)), timeoutMs)
    socket.once(name as 'phone-number:updated', (payload: unknown) => {
      clearTimeout(timer)
      resolve(payload)
    })
  })
}

function recordEvents(socket: HarnessSocket): string[] {
  const seen: string[] = []
  socket.onAny((event: string) => seen.push(event))
  return seen
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe(`sockets end with their session on ${kind}`, () => {
  let harness: SecurityHarness
  let admin: Awaited<ReturnType<SecurityHarness['signUp']>>

  const userIdOf = async (email: string) =>
    (await harness.db.selectFrom('user').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id
  const signInAgain = async (email: string) => {
    const response = await harness.request('/api/auth/sign-in/email', {
      method: 'POST',
      json: { email, password: harnessSecrets.password },
    })
    return { status: response.status, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '' }
  }
  const buyNumber = async (cookie: string) => {
    const response = await harness.request('/api/phone-numbers', { method: 'POST', cookie, json: { areaCode: '415' } })
    expect(response.status).toBe(201)
  }

  beforeAll(async () => {
    harness = await startSecurityHarness(kind)
    admin = await harness.signUp('Acting Admin')
    await grantPlatformAdmin(harness.db, admin.email)
  })
  afterAll(async () => {
    await harness.close()
  })

  test('after sign-out the socket is disconnected within a second and gets no more phone-number:updated', async () => {
    const owner = await harness.signUp('Signs Out')
    const other = await signInAgain(owner.email)
    const socket = await harness.connect(owner.cookie)
    const otherSocket = await harness.connect(other.cookie)
    const seen = recordEvents(socket)

    const signedOut = disconnection(socket)
    const response = await harness.request('/api/auth/sign-out', { method: 'POST', cookie: owner.cookie, json: {} })
    expect(response.status).toBe(200)
    const { ms, reason } = await signedOut
    expect(ms).toBeLessThan(disconnectWithinMs)
    expect(reason).toBe('io server disconnect')
    console.info(`[security] socket disconnected ${Math.round(ms)} ms after sign-out`)

    // The organisation's numbers keep changing; the signed-out socket hears none of it, the other session does.
    const heardByOther = nextEvent(otherSocket, 'phone-number:updated')
    await buyNumber(other.cookie)
    await heardByOther
    await pause(300)
    expect(seen).toEqual([])
    expect(otherSocket.connected).toBe(true)
  })

  test('a recovered connection is checked again: a revoked cookie is refused, a valid one recovers', async () => {
    const owner = await harness.signUp('Recovers')
    const keeper = await signInAgain(owner.email)
    for (const { cookie, isRevoked } of [
      { cookie: keeper.cookie, isRevoked: false },
      { cookie: owner.cookie, isRevoked: true },
    ]) {
      const socket = await harness.connect(cookie)
      // Recovery resumes from the last event the browser saw, so it must have seen one.
      const heard = nextEvent(socket, 'phone-number:updated')
      await buyNumber(keeper.cookie)
      await heard
      // The transport drops (a network blip): the server keeps the socket's state for recovery.
      const dropped = disconnection(socket)
      socket.io.engine.close()
      await dropped
      if (isRevoked) {
        const response = await harness.request('/api/auth/sign-out', { method: 'POST', cookie, json: {} })
        expect(response.status).toBe(200)
      }
      const outcome = await new Promise<string>((resolve) => {
        socket.once('connect', () => resolve(socket.recovered ? 'recovered' : 'connected'))
        socket.once('connect_error', (error) => resolve(`refused: ${error.message}`))
        socket.connect()
      })
      expect(outcome).toBe(isRevoked ? 'refused: unauthorized' : 'recovered')
      socket.disconnect()
    }
  })

  test('a demoted admin leaves the admins’ room at once; a banned user’s sockets end and they cannot sign in', async () => {
    const formerAdmin = await harness.signUp('Former Admin')
    await grantPlatformAdmin(harness.db, formerAdmin.email)
    const formerAdminId = await userIdOf(formerAdmin.email)
    const owner = await harness.signUp('Buyer')
    const socket = await harness.connect(formerAdmin.cookie)
    const adminSocket = await harness.connect(admin.cookie)
    const heard = nextEvent(socket, 'provisioning-stats:changed')
    await buyNumber(owner.cookie)
    await heard

    const demoted = disconnection(socket)
    const demotion = await harness.request(`/api/admin/users/${formerAdminId}/platform-admin`, {
      method: 'DELETE',
      cookie: admin.cookie,
    })
    expect(demotion.status).toBe(200)
    expect(await demotion.json()).toMatchObject({ id: formerAdminId, isPlatformAdmin: false })
    expect((await demoted).ms).toBeLessThan(disconnectWithinMs)

    // Connecting again gives the rooms the session gives now: the organisation's, not the admins'.
    const again = await harness.connect(formerAdmin.cookie)
    const seen = recordEvents(again)
    await pause(1_100) // past the admins' event interval, so the next change goes out at once
    const heardByAdmin = nextEvent(adminSocket, 'provisioning-stats:changed')
    await buyNumber(owner.cookie)
    await heardByAdmin
    await pause(300)
    expect(seen).toEqual([])

    const banned = disconnection(again)
    const ban = await harness.request(`/api/admin/users/${formerAdminId}/ban`, {
      method: 'POST',
      cookie: admin.cookie,
      json: { reason: 'testing bans' },
    })
    expect(ban.status).toBe(200)
    expect(await ban.json()).toMatchObject({ banned: true, banReason: 'testing bans' })
    expect((await banned).ms).toBeLessThan(disconnectWithinMs)
    expect(await (await harness.request('/api/auth/get-session', { cookie: formerAdmin.cookie })).json()).toBeNull()
    expect((await signInAgain(formerAdmin.email)).status).toBe(403)
    await expect(harness.connect(formerAdmin.cookie)).rejects.toThrow('unauthorized')

    const unban = await harness.request(`/api/admin/users/${formerAdminId}/unban`, {
      method: 'POST',
      cookie: admin.cookie,
    })
    expect(unban.status).toBe(200)
    expect((await signInAgain(formerAdmin.email)).status).toBe(200)
  })

  test('a session that expires ends its socket at the expiry, with nobody signing out', async () => {
    const owner = await harness.signUp('Expires')
    const token = decodeURIComponent(owner.cookie.replace(/^dialtone\.session_token=/, '')).split('.')[0] ?? ''
    await harness.db
      .updateTable('session')
      .set({ expiresAt: new Date(Date.now() + 1_500) })
      .where('token', '=', token)
      .execute()
    const socket = await harness.connect(owner.cookie)
    const ended = await disconnection(socket, 5_000)
    expect(ended.reason).toBe('io server disconnect')
    await expect(harness.connect(owner.cookie)).rejects.toThrow('unauthorized')
  })
})
