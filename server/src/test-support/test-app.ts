import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import type { DatabaseKind } from '../db/create-database.ts'
import { createApp } from '../app.ts'
import { loadAreaCodeDirectory } from '../area-codes/area-code-directory.ts'
import { createAuth } from '../auth/create-auth.ts'
import { systemClock, type Clock } from '../lib/clock.ts'
import { createLogger } from '../lib/logger.ts'
import type { ProvisioningDeps } from '../provisioning/provisioning-deps.ts'
import { createSmtpTransport, type MailTransport } from '../notifications/mail-transport.ts'
import type { AdminAlertPublisher, NotificationDeps } from '../notifications/notification-deps.ts'
import { deriveUnsubscribeSecret } from '../notifications/unsubscribe-token.ts'
import { createRecordingPublisher } from '../realtime/publisher.ts'
import { createVapiClient } from '../vapi/vapi-client.ts'
import { startVapiSandbox } from '../vapi-sandbox/start-vapi-sandbox.ts'
import type { WebhookAuthMode } from '../webhooks/verify-vapi-webhook.ts'
import { createTestDatabase, type TestDatabase } from './test-databases.ts'

export const testWebhookSecret = 'test-webhook-secret-0123456789abcdef0123456789'
export const testOrigin = 'http://localhost:3999'

export interface TestAppOptions {
  sandboxMinDelayMs?: number
  sandboxMaxDelayMs?: number
  webhookAuth?: WebhookAuthMode
  deadlineMs?: number
  clock?: Clock
  vapiApiKey?: string
  vapiTimeoutMs?: number
  /** Mail over SMTP to this URL; otherwise the sandbox's local mailbox. */
  smtpUrl?: string
  /** Compressed in tests: the waits before each retry of a mail. */
  mailRetryDelaysMs?: readonly number[]
  mailFoldWindowMs?: number
  alertWebhook?: { url: string; secret: string }
}

export const testAuthSecret = 'test-auth-secret-0123456789abcdef0123456789abcdef'

/**
 * The whole server as main.ts wires it (real database, real Vapi sandbox on a loopback port, Better Auth,
 * webhooks reaching the app over HTTP), minus the background worker, which tests drive round by round.
 */
export async function startTestApp(kind: DatabaseKind, options: TestAppOptions = {}) {
  const database: TestDatabase = await createTestDatabase(kind)
  const logger = createLogger('silent')
  const webhookAuth = options.webhookAuth ?? 'hmac'
  const sandbox = await startVapiSandbox({
    port: 0,
    host: '127.0.0.1',
    minDelayMs: options.sandboxMinDelayMs ?? 60_000,
    maxDelayMs: options.sandboxMaxDelayMs ?? 60_000,
    webhookSecret: testWebhookSecret,
    webhookAuth,
  })
  const vapi = createVapiClient({
    baseUrl: sandbox.url,
    apiKey: options.vapiApiKey ?? 'test-key',
    timeoutMs: options.vapiTimeoutMs ?? 5_000,
    maxRequestsPerSecond: 1_000,
    retryBaseDelayMs: 10,
  })
  const recording = createRecordingPublisher()
  const auth = createAuth({
    db: database.db,
    secret: testAuthSecret,
    baseUrl: testOrigin,
    trustedOrigins: [testOrigin],
    isRateLimitEnabled: false,
  })
  const provisioning: ProvisioningDeps = {
    db: database.db,
    vapi,
    publisher: recording.publisher,
    clock: options.clock ?? systemClock,
    logger,
    deadlineMs: options.deadlineMs ?? 900_000,
    webhookUrl: 'http://127.0.0.1:1/webhooks/vapi',
  }
  const transport: MailTransport = options.smtpUrl ? createSmtpTransport(options.smtpUrl) : { kind: 'mailbox' }
  const alerts: Parameters<AdminAlertPublisher['alertChanged']>[0][] = []
  const notifications: NotificationDeps = {
    db: database.db,
    clock: provisioning.clock,
    logger,
    transport,
    mailFrom: 'dialtone <dialtone@example.test>',
    publicUrl: testOrigin,
    unsubscribeSecret: deriveUnsubscribeSecret(testAuthSecret),
    foldWindowMs: options.mailFoldWindowMs ?? 0,
    stuckAfterMs: 300_000,
    retryDelaysMs: options.mailRetryDelaysMs ?? [50, 100, 200],
    leaseMs: 60_000,
    deadlineMs: provisioning.deadlineMs,
    alertPublisher: { alertChanged: (alert) => alerts.push(alert) },
    alertWebhook: options.alertWebhook ?? null,
  }
  const areaCodes = loadAreaCodeDirectory()
  const app = createApp({
    provisioning,
    auth,
    areaCodes,
    logger,
    isSandbox: true,
    version: 'test',
    trustedOrigins: [testOrigin],
    webhook: { authMode: webhookAuth, secret: testWebhookSecret },
    notifications: {
      mailDelivery: transport.kind,
      unsubscribeSecret: notifications.unsubscribeSecret,
      publicUrl: testOrigin,
    },
    webDistDir: null,
  })
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started))
  })
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  provisioning.webhookUrl = `${baseUrl}/webhooks/vapi`

  const request = async (
    path: string,
    init: RequestInit & { cookie?: string; json?: unknown } = {},
  ): Promise<Response> => {
    const headers = new Headers(init.headers)
    headers.set('origin', testOrigin)
    if (init.cookie) headers.set('cookie', init.cookie)
    let body = init.body
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json')
      body = JSON.stringify(init.json)
    }
    return app.request(path, { ...init, headers, ...(body === undefined ? {} : { body }) })
  }

  const signUp = async (name = 'Owner') => {
    const email = `${name.toLowerCase().replace(/\W/g, '')}-${randomUUID()}@example.com`
    const response = await request('/api/auth/sign-up/email', {
      method: 'POST',
      json: { name, email, password: 'correct horse battery' },
    })
    if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`)
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const member = await database.db
      .selectFrom('member')
      .innerJoin('user', 'user.id', 'member.userId')
      .select(['member.organizationId', 'user.id'])
      .where('user.email', '=', email)
      .executeTakeFirstOrThrow()
    return { cookie, email, userId: member.id, organizationId: member.organizationId }
  }

  return {
    app,
    baseUrl,
    db: database.db,
    database,
    sandbox,
    vapi,
    provisioning,
    areaCodes,
    events: recording.events,
    notifications,
    /** Alerts the worker told admins' browsers about, in order. */
    alerts,
    request,
    signUp,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      if (transport.kind === 'smtp') transport.close()
      await sandbox.close()
      await database.close()
    },
  }
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>
