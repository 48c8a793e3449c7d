import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { callMessage } from '../../test/support/call-events-kit.ts'
import { eventually } from '../../test/support/provisioning-test-kit.ts'
import { startSecurityHarness, type SecurityHarness } from '../../test/security/security-harness.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'

describe.each(testDatabaseKinds)('phone-number:activity over real sockets on %s', (kind) => {
  let harness: SecurityHarness

  beforeAll(async () => {
    harness = await startSecurityHarness(kind)
  })
  afterAll(async () => {
    await harness.close()
  })

  test('a call on a number reaches its organisation’s sockets as phone-number:activity, and no other organisation’s', async () => {
    const alice = await harness.signUp('Alice')
    const bob = await harness.signUp('Bob')
    const created = await harness.request('/api/phone-numbers', {
      method: 'POST',
      cookie: alice.cookie,
      json: { areaCode: '537' },
    })
    const number = z.object({ id: z.string(), vapiPhoneNumberId: z.string() }).parse(await created.json())
    await eventually(
      async () =>
        z
          .object({ status: z.string() })
          .parse(await (await harness.request(`/api/phone-numbers/${number.id}`, { cookie: alice.cookie })).json())
          .status,
      (status) => status === 'active',
      10_000,
    )

    const aliceSocket = await harness.connect(alice.cookie)
    const bobSocket = await harness.connect(bob.cookie)
    const aliceSeen: PhoneNumber[] = []
    const bobSeen: PhoneNumber[] = []
    aliceSocket.on('phone-number:activity', (phoneNumber) => aliceSeen.push(phoneNumber))
    bobSocket.on('phone-number:activity', (phoneNumber) => bobSeen.push(phoneNumber))

    for (const status of ['ringing', 'in-progress', 'ended']) {
      const body = callMessage(number.vapiPhoneNumberId, 'socket-call', 'status-update', {
        status,
        ...(status === 'ended' ? { endedReason: 'customer-ended-call' } : {}),
      })
      const response = await fetch(`${harness.baseUrl}/webhooks/vapi`, {
        method: 'POST',
        headers: harness.signedHeaders(body),
        body,
      })
      expect(response.status).toBe(200)
    }
    await eventually(
      async () => aliceSeen.length,
      (count) => count >= 3,
    )
    expect(aliceSeen.map((phoneNumber) => phoneNumber.activity.state)).toEqual(['ringing', 'in-call', 'idle'])
    expect(aliceSeen.at(-1)?.activity).toMatchObject({ callsToday: 1, lastEndedReason: 'customer-ended-call' })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(bobSeen).toEqual([])
    aliceSocket.disconnect()
    bobSocket.disconnect()
  })
})
