import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { adminAlertListSchema, alertRuleListSchema } from '@dialtone/shared/admin-alerts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { grantPlatformAdmin } from '../auth/organization-repository.ts'
import { runNotificationRound } from '../notifications/notification-worker.ts'
import { clearSandboxFaults, createNumber, setSandboxFaults } from '../../test/support/provisioning-test-kit.ts'
import { startSmtpReceiver, type SmtpReceiver } from '../../test/support/smtp-receiver.ts'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { evaluateAlertRules } from './evaluate-alert-rules.ts'

/** Starting PGlite and signing owners up takes a while on a busy, shared machine. */
const setupTimeoutMs = 180_000

const webhookSecret = 'alert-webhook-secret-0123456789'

/** A real HTTP receiver for the admins' alert webhook, keeping what arrives. */
async function startWebhookReceiver() {
  const received: { headers: IncomingHttpHeaders; body: string }[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    request.on('end', () => {
      received.push({ headers: request.headers, body })
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    received,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe.each(testDatabaseKinds)('admin alerts on %s', (kind) => {
  let harness: TestApp
  let smtp: SmtpReceiver
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
  let owner: Awaited<ReturnType<TestApp['signUp']>>
  let admin: Awaited<ReturnType<TestApp['signUp']>>

  const putRules = (cookie: string, json: unknown) =>
    harness.request('/api/admin/alert-rules', { method: 'PUT', cookie, json })
  const rules = async () =>
    alertRuleListSchema.parse(await (await harness.request('/api/admin/alert-rules', { cookie: admin.cookie })).json())
  const alerts = async () =>
    adminAlertListSchema.parse(await (await harness.request('/api/admin/alerts', { cookie: admin.cookie })).json())
  const send = async () => {
    for (let round = 0; round < 3; round++) {
      await runNotificationRound(harness.notifications, { shouldEvaluateAlerts: false })
    }
  }

  beforeAll(async () => {
    smtp = await startSmtpReceiver()
    receiver = await startWebhookReceiver()
    harness = await startTestApp(kind, {
      smtpUrl: smtp.url,
      alertWebhook: { url: receiver.url, secret: webhookSecret },
    })
    owner = await harness.signUp('Owner')
    admin = await harness.signUp('Admin')
    await grantPlatformAdmin(harness.db, admin.email)
  }, setupTimeoutMs)
  afterAll(async () => {
    await clearSandboxFaults(harness)
    await harness.close()
    await smtp.stop()
    await receiver.close()
  })

  test('rules: admins read and change thresholds; bad values and non-admins change nothing', async () => {
    expect((await rules()).items.map((rule) => [rule.kind, rule.enabled, rule.threshold])).toEqual([
      ['pending_past_deadline', true, 10],
      ['success_rate_below', true, 0.8],
      ['time_to_live_p90_above', true, 120],
      ['vapi_failing', true, 5],
    ])
    for (const bad of [
      { rules: [{ kind: 'success_rate_below', threshold: 1.5 }] },
      { rules: [{ kind: 'vapi_failing', threshold: 2.5 }] },
      {
        rules: [
          { kind: 'vapi_failing', threshold: 3 },
          { kind: 'moon_phase', threshold: 1 },
        ],
      },
      { rules: [] },
    ]) {
      expect((await putRules(admin.cookie, bad)).status).toBe(400)
    }
    expect((await putRules(owner.cookie, { rules: [{ kind: 'vapi_failing', threshold: 3 }] })).status).toBe(403)
    expect((await harness.request('/api/admin/alerts', { cookie: owner.cookie })).status).toBe(403)
    expect((await rules()).items.find((rule) => rule.kind === 'vapi_failing')?.threshold).toBe(5)

    const changed = await putRules(admin.cookie, { rules: [{ kind: 'vapi_failing', threshold: 3 }] })
    expect(changed.status).toBe(200)
    expect(
      alertRuleListSchema.parse(await changed.json()).items.find((rule) => rule.kind === 'vapi_failing'),
    ).toMatchObject({
      threshold: 3,
      enabled: true,
      unit: 'failures',
    })
  })

  test('Vapi refusing every purchase opens one alert (mailed, posted, pushed); purchases succeeding close it', async () => {
    await setSandboxFaults(harness, { errorRate: 1 })
    for (let attempt = 0; attempt < 3; attempt++) {
      const refused = await harness.request('/api/phone-numbers', {
        method: 'POST',
        cookie: owner.cookie,
        json: { areaCode: '415' },
      })
      expect(refused.status).toBe(503)
    }
    // Several workers evaluating at once still open it once.
    const results = await Promise.all([
      evaluateAlertRules(harness.notifications),
      evaluateAlertRules(harness.notifications),
    ])
    await evaluateAlertRules(harness.notifications)
    expect(results.flat()).toHaveLength(1)
    const open = (await alerts()).items.filter((alert) => alert.status === 'open')
    expect(open).toHaveLength(1)
    expect(open[0]).toMatchObject({
      kind: 'vapi_failing',
      summary: 'Vapi failed the last 3 purchases in a row',
      value: 3,
    })
    expect(harness.alerts.map((alert) => [alert.kind, alert.status])).toEqual([['vapi_failing', 'open']])

    await send()
    const openingMails = smtp.to(admin.email)
    expect(openingMails).toHaveLength(1)
    expect(openingMails[0]?.parsed.subject).toBe('Alert: Vapi failed the last 3 purchases in a row')
    expect(openingMails[0]?.parsed.text).toContain('http://localhost:3999/admin')
    expect(smtp.to(owner.email)).toHaveLength(0)
    expect(receiver.received).toHaveLength(1)
    const posted = receiver.received[0]
    const timestamp = String(posted?.headers['x-dialtone-timestamp'])
    const expected = `v1=${createHmac('sha256', webhookSecret).update(`${timestamp}.${posted?.body}`).digest('hex')}`
    expect(posted?.headers['x-dialtone-signature']).toBe(expected)
    expect(JSON.parse(posted?.body ?? '{}')).toMatchObject({
      type: 'admin-alert.opened',
      data: { kind: 'vapi_failing', status: 'open' },
    })

    await clearSandboxFaults(harness)
    await createNumber(harness, owner.cookie, '415')
    const closed = await evaluateAlertRules(harness.notifications)
    expect(closed).toMatchObject([
      { kind: 'vapi_failing', status: 'closed', closingSummary: 'Vapi answered the latest purchase' },
    ])
    expect(await evaluateAlertRules(harness.notifications)).toEqual([])
    await send()
    expect(smtp.to(admin.email).map((mail) => mail.parsed.subject)).toEqual([
      'Alert: Vapi failed the last 3 purchases in a row',
      'Resolved: Vapi answered the latest purchase',
    ])
    expect(receiver.received.map((request) => (JSON.parse(request.body) as { type: string }).type)).toEqual([
      'admin-alert.opened',
      'admin-alert.closed',
    ])
    const history = await alerts()
    expect(history.items).toHaveLength(1)
    expect(history.items[0]).toMatchObject({ status: 'closed', closingSummary: 'Vapi answered the latest purchase' })
    expect(harness.alerts.map((alert) => alert.status)).toEqual(['open', 'closed'])
  })

  test('the success-rate rule needs enough attempts, then fires below its threshold', async () => {
    await putRules(admin.cookie, {
      rules: [
        { kind: 'vapi_failing', enabled: false },
        { kind: 'success_rate_below', threshold: 0.9 },
      ],
    })
    await setSandboxFaults(harness, { errorRate: 1 })
    try {
      // One purchase so far (the live one above is still pending): 3 + 1 settled is below the minimum of 5.
      await harness.request('/api/phone-numbers', { method: 'POST', cookie: owner.cookie, json: { areaCode: '415' } })
      expect(await evaluateAlertRules(harness.notifications)).toEqual([])
      await harness.request('/api/phone-numbers', { method: 'POST', cookie: owner.cookie, json: { areaCode: '415' } })
      const opened = await evaluateAlertRules(harness.notifications)
      expect(opened).toMatchObject([{ kind: 'success_rate_below', status: 'open', value: 0 }])
      expect(opened[0]?.summary).toBe('Success rate over the last hour is 0% (0 of 5), below 90%')
      // Turning the rule off closes its alert.
      await putRules(admin.cookie, { rules: [{ kind: 'success_rate_below', enabled: false }] })
      expect(await evaluateAlertRules(harness.notifications)).toMatchObject([
        { kind: 'success_rate_below', status: 'closed', closingSummary: 'The rule was turned off' },
      ])
    } finally {
      await clearSandboxFaults(harness)
    }
  })
})
