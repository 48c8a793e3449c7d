import { callStatsSchema } from '@dialtone/shared/call-stats'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { callMessage, liveNumber } from '../../test/support/call-events-kit.ts'
import { postWebhook } from '../../test/support/provisioning-test-kit.ts'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { grantPlatformAdmin } from '../auth/organization-repository.ts'

describe.each(testDatabaseKinds)('admin call statistics on %s', (kind) => {
  let harness: TestApp

  beforeAll(async () => {
    harness = await startTestApp(kind)
  })
  afterAll(async () => {
    await harness.close()
  })

  test('calls per number, and the share of numbers that answered a call within an hour of going live', async () => {
    const admin = await harness.signUp('Operator')
    await grantPlatformAdmin(harness.db, admin.email)
    const owner = await harness.signUp('Busy')
    const quick = await liveNumber(harness, owner.cookie)
    const silent = await liveNumber(harness, owner.cookie)
    const late = await liveNumber(harness, owner.cookie)
    // This one went live two hours ago: its first call today is not "within an hour".
    await harness.db
      .updateTable('phone_number')
      .set({ activated_at: new Date(Date.now() - 2 * 60 * 60 * 1000) })
      .where('id', '=', late.id)
      .execute()

    const answer = async (vapiId: string, callId: string) => {
      for (const status of ['ringing', 'in-progress', 'ended']) {
        const body = callMessage(vapiId, callId, 'status-update', { status, endedReason: 'customer-ended-call' })
        expect((await postWebhook(harness, body)).status).toBe(200)
      }
    }
    await answer(quick.vapiPhoneNumberId ?? '', 'quick-1')
    await answer(quick.vapiPhoneNumberId ?? '', 'quick-2')
    await answer(late.vapiPhoneNumberId ?? '', 'late-1')

    const response = await harness.request('/api/admin/call-stats', { cookie: admin.cookie })
    expect(response.status).toBe(200)
    const stats = callStatsSchema.parse(await response.json())
    expect(stats.liveNumbers).toBe(3)
    expect(stats.answeredWithinHour).toBe(1)
    expect(stats.answeredWithinHourShare).toBeCloseTo(1 / 3)
    const callsOf = (id: string) => stats.numbers.find((entry) => entry.id === id)?.calls
    expect([callsOf(quick.id), callsOf(late.id), callsOf(silent.id)]).toEqual([2, 1, 0])
    expect(stats.numbers[0]?.id).toBe(quick.id)
    expect(stats.numbers[0]?.organizationName).toBe('Busy’s organisation')

    const narrow = await harness.request(
      `/api/admin/call-stats?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      { cookie: admin.cookie },
    )
    expect(narrow.status).toBe(400)
    expect((await harness.request('/api/admin/call-stats', { cookie: owner.cookie })).status).toBe(403)
  })
})
