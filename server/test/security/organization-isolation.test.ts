import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testDatabaseKinds } from '../support/test-databases.ts'
import { changeCounters, readErrorBody } from './security-assertions.ts'
import { startSecurityHarness, type HarnessSocket, type SecurityHarness } from './security-harness.ts'

interface Received {
  event: string
  payload: unknown
}

/** Everything a socket is sent, whatever the event's name. */
function recordAll(socket: HarnessSocket): Received[] {
  const received: Received[] = []
  socket.onAny((event: string, payload: unknown) => received.push({ event, payload }))
  return received
}

async function until(check: () => boolean, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe.each(testDatabaseKinds)('organisations are isolated on %s', (kind) => {
  let harness: SecurityHarness
  let alice: Awaited<ReturnType<SecurityHarness['signUp']>>
  let bob: Awaited<ReturnType<SecurityHarness['signUp']>>
  let aliceNumber: { id: string; vapiPhoneNumberId: string; version: number }

  beforeAll(async () => {
    harness = await startSecurityHarness(kind)
    alice = await harness.signUp('Alice')
    bob = await harness.signUp('Bob')
    const created = await harness.request('/api/phone-numbers', {
      method: 'POST',
      cookie: alice.cookie,
      json: { areaCode: '415', name: 'Alice private line' },
    })
    expect(created.status).toBe(201)
    aliceNumber = (await created.json()) as typeof aliceNumber
  })
  afterAll(async () => {
    await harness.close()
  })

  test('every phone-number endpoint answers 404 for another organisation’s id and touches nothing', async () => {
    const before = await changeCounters(harness.db)
    const attempts = [
      { method: 'GET', path: `/api/phone-numbers/${aliceNumber.id}` },
      { method: 'POST', path: `/api/phone-numbers/${aliceNumber.id}/refresh` },
      { method: 'DELETE', path: `/api/phone-numbers/${aliceNumber.id}` },
    ]
    for (const { method, path } of attempts) {
      const response = await harness.request(path, { method, cookie: bob.cookie })
      expect(response.status, `${method} ${path}`).toBe(404)
      // Answered exactly like an id that exists nowhere, so the answer does not even confirm the id exists.
      const missing = await harness.request(path.replace(aliceNumber.id, '00000000-0000-4000-8000-000000000000'), {
        method,
        cookie: bob.cookie,
      })
      expect(await readErrorBody(response)).toEqual(await readErrorBody(missing))
    }

    const list = await harness.request('/api/phone-numbers', { cookie: bob.cookie })
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([])
    const searched = await harness.request(`/api/phone-numbers?q=${encodeURIComponent('Alice private')}`, {
      cookie: bob.cookie,
    })
    expect(((await searched.json()) as { items: unknown[] }).items).toEqual([])
    const refreshAll = await harness.request('/api/phone-numbers/refresh', { method: 'POST', cookie: bob.cookie })
    expect(await refreshAll.json()).toMatchObject({ checked: 0 })

    // Bob is no admin: another organisation's figures are closed to him whatever id he names.
    const stats = await harness.request(`/api/admin/provisioning-stats?organizationId=${alice.organizationId}`, {
      cookie: bob.cookie,
    })
    expect(stats.status).toBe(403)

    expect(await changeCounters(harness.db)).toEqual(before)
    const row = await harness.db
      .selectFrom('phone_number')
      .select(['status', 'version', 'organization_id'])
      .where('id', '=', aliceNumber.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'pending', version: aliceNumber.version, organization_id: alice.organizationId })
  })

  test('a socket of another organisation never receives a number’s updates; its own sockets do', async () => {
    const aliceSocket = await harness.connect(alice.cookie)
    const bobSocket = await harness.connect(bob.cookie)
    const aliceReceived = recordAll(aliceSocket)
    const bobReceived = recordAll(bobSocket)

    // A create and a webhook that turns it live: two updates for Alice's organisation.
    const created = await harness.request('/api/phone-numbers', {
      method: 'POST',
      cookie: alice.cookie,
      json: { areaCode: '212' },
    })
    const number = (await created.json()) as { id: string; vapiPhoneNumberId: string }
    const body = JSON.stringify({
      message: {
        type: 'phone-number-status-update',
        timestamp: Date.now(),
        phoneNumber: { id: number.vapiPhoneNumberId, status: 'active', number: '+12125550123' },
      },
    })
    const webhook = await fetch(`${harness.baseUrl}/webhooks/vapi`, {
      method: 'POST',
      headers: { ...harness.signedHeaders(body), 'x-message-id': `isolation-${kind}` },
      body,
    })
    expect(await webhook.json()).toMatchObject({ outcome: 'transitioned' })

    await until(() => aliceReceived.length >= 2, 'Alice’s two updates')
    expect(aliceReceived.map((entry) => entry.event)).toEqual(['phone-number:updated', 'phone-number:updated'])
    expect(aliceReceived.map((entry) => (entry.payload as { status: string }).status)).toEqual(['pending', 'active'])

    // Bob's socket was connected the whole time; give any stray event the same time again to arrive.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(bobReceived).toEqual([])
    aliceSocket.disconnect()
    bobSocket.disconnect()
  })

  test('a socket without a valid session is refused at the handshake', async () => {
    await expect(harness.connect(null)).rejects.toThrow('unauthorized')
    await expect(harness.connect('dialtone.session_token=forged.value')).rejects.toThrow('unauthorized')
    // A real session cookie with its signature cut off is not a session.
    const unsigned = alice.cookie.replace(/\.[^.]*$/, '')
    await expect(harness.connect(unsigned)).rejects.toThrow('unauthorized')
  })

  test('a signed-out session can no longer open a socket or call the API', async () => {
    const carol = await harness.signUp('Carol')
    const signOut = await harness.request('/api/auth/sign-out', { method: 'POST', cookie: carol.cookie, json: {} })
    expect(signOut.status).toBe(200)
    await expect(harness.connect(carol.cookie)).rejects.toThrow('unauthorized')
    const list = await harness.request('/api/phone-numbers', { cookie: carol.cookie })
    expect(list.status).toBe(401)
  })
})
