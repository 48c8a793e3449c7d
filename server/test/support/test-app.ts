import { randomUUID } from 'node:crypto'
import type { DatabaseKind } from '../../src/db/create-database.ts'
import type { Env } from '../../src/env.ts'
import type { Clock } from '../../src/lib/clock.ts'
import type { Logger } from '../../src/lib/logger.ts'
import { createVapiAccounts } from '../../src/connections/vapi-accounts.ts'
import { createVapiClient, type VapiClient, type VapiClientOptions } from '../../src/vapi/vapi-client.ts'
import type { AdminAlert } from '@dialtone/shared/admin-alerts'
import { createRecordingPublisher } from '../../src/realtime/publisher.ts'
import { createTestDatabase, type TestDatabase } from './test-databases.ts'
import { startTestServer } from './test-server.ts'
import type { ComposeOptions } from '../../src/compose-server.ts'

export const testWebhookSecret = 'test-webhook-secret-0123456789abcdef0123456789'
export const testOrigin = 'http://localhost:3999'

export interface TestAppOptions {
  sandboxMinDelayMs?: number
  sandboxMaxDelayMs?: number
  webhookAuth?: Env['VAPI_WEBHOOK_AUTH']
  deadlineMs?: number
  clock?: Clock
  vapiApiKey?: string
  vapiTimeoutMs?: number
  /** WEBHOOK_ALLOW_PRIVATE_URLS; true unless a test checks the refusal (receivers listen on loopback). */
  allowPrivateWebhookUrls?: boolean
  /** Mail over SMTP to this URL; otherwise the sandbox's local mailbox (PGlite) or none (Postgres). */
  smtpUrl?: string
  /** Compressed in tests: the waits before each retry of a mail. */
  mailRetryDelaysMs?: readonly number[]
  alertWebhook?: { url: string; secret: string }
  /** Another server on the same database (a second instance): its close() leaves the database open. */
  database?: TestDatabase
  /** Anything else env.ts reads (CREDENTIALS_KEY, VAPI_BASE_URL of a sandbox the test runs, ...). */
  env?: Record<string, string>
  logger?: Logger
  runsWorker?: boolean
  /** Carrier sandboxes the test started (decision 0014), and compressed saga timings. */
  carriers?: ComposeOptions['carriers']
  carrierTimings?: ComposeOptions['carrierTimings']
}

/**
 * The whole server as main.ts wires it, through startDialtone (real database, real Vapi sandbox on a loopback port, Better Auth,
 * webhooks reaching the app over HTTP), minus the background worker, which tests drive round by round.
 */
export async function startTestApp(kind: DatabaseKind, options: TestAppOptions = {}) {
  const sharedDatabase = options.database
  const database: TestDatabase = sharedDatabase
    ? { ...sharedDatabase, close: async () => {} }
    : await createTestDatabase(kind)
  const recording = createRecordingPublisher()
  /** Alerts the worker told admins' browsers about, in order. */
  const alerts: AdminAlert[] = []
  const server = await startTestServer(database, {
    authSecret: 'test-auth-secret-0123456789abcdef0123456789abcdef',
    webhookSecret: testWebhookSecret,
    vapiApiKey: options.vapiApiKey ?? 'test-key',
    env: {
      VAPI_WEBHOOK_AUTH: options.webhookAuth ?? 'hmac',
      SANDBOX_MIN_DELAY_MS: String(options.sandboxMinDelayMs ?? 60_000),
      SANDBOX_MAX_DELAY_MS: String(options.sandboxMaxDelayMs ?? 60_000),
      VAPI_TIMEOUT_MS: String(options.vapiTimeoutMs ?? 5_000),
      PROVISIONING_DEADLINE_MS: String(options.deadlineMs ?? 900_000),
      WEBHOOK_ALLOW_PRIVATE_URLS: String(options.allowPrivateWebhookUrls ?? true),
      // Mail is due as soon as it is queued; a test that folds events sets a window of its own.
      MAIL_FOLD_WINDOW_MS: '0',
      MAIL_FROM: 'dialtone <dialtone@example.test>',
      ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
      ...(options.alertWebhook
        ? { ADMIN_ALERT_WEBHOOK_URL: options.alertWebhook.url, ADMIN_ALERT_WEBHOOK_SECRET: options.alertWebhook.secret }
        : {}),
      ...options.env,
    },
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.runsWorker === undefined ? {} : { runsWorker: options.runsWorker }),
    ...(options.carriers ? { carriers: options.carriers } : {}),
    ...(options.carrierTimings ? { carrierTimings: options.carrierTimings } : {}),
    publisher: recording.publisher,
    alertPublisher: { alertChanged: (alert) => alerts.push(alert) },
    mailRetryDelaysMs: options.mailRetryDelaysMs ?? [50, 100, 200],
    ...(options.clock ? { clock: options.clock } : {}),
    isAuthRateLimitEnabled: false,
    // Requests come from the test's origin; Vapi's webhooks reach the real port.
    urls: ({ url }) => ({ publicUrl: testOrigin, trustedOrigins: [testOrigin], webhookUrl: `${url}/webhooks/vapi` }),
    version: 'test',
  })
  const { app, sandbox, vapi, provisioning, outboundWebhooks, areaCodes } = server
  const baseUrl = server.url

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

  const vapiApiKey = options.vapiApiKey ?? 'test-key'
  /** The key (as the sandbox knows it) of the Vapi account that bought this number: its organisation's, sealed. */
  const vapiKeyOfNumber = async (vapiPhoneNumberId: string): Promise<string> => {
    const number = await database.db
      .selectFrom('phone_number')
      .select(['organization_id', 'vapi_account'])
      .where('vapi_phone_number_id', '=', vapiPhoneNumberId)
      .executeTakeFirstOrThrow()
    if (number.vapi_account === null || number.vapi_account === 'platform') return vapiApiKey
    const connection = await database.db
      .selectFrom('provider_connection')
      .select('secret_ciphertext')
      .where('organization_id', '=', number.organization_id)
      .where('account_fingerprint', '=', number.vapi_account.replace(/^key:/, ''))
      .executeTakeFirstOrThrow()
    return server.credentialBox.open(connection.secret_ciphertext)
  }
  /** The organisations' accounts as the server resolves them, with Vapi clients made with these options. */
  const vapiAccountsWith = (
    clientOptions: Partial<VapiClientOptions>,
    /** Wraps every client made (a test watching what each process asks Vapi). */
    wrap: (client: VapiClient) => VapiClient = (client) => client,
  ) =>
    createVapiAccounts({
      db: database.db,
      box: server.credentialBox,
      policy: server.config.env.VAPI_ACCOUNT_POLICY,
      isSandbox: server.config.isSandbox,
      platformClient: wrap(createVapiClient({ baseUrl: server.vapiBaseUrl, apiKey: vapiApiKey, ...clientOptions })),
      sandboxUrl: server.config.isSandbox ? server.vapiBaseUrl : null,
      makeClient: (apiKey, accountKey) =>
        wrap(createVapiClient({ baseUrl: server.vapiBaseUrl, apiKey, accountKey, ...clientOptions })),
      logger: server.logger,
    })

  return {
    app,
    baseUrl,
    vapiKeyOfNumber,
    vapiAccountsWith,
    db: database.db,
    database,
    sandbox,
    vapi,
    provisioning,
    outboundWebhooks,
    areaCodes,
    server,
    events: recording.events,
    /** 'phone-number:activity' events, in order. */
    activityEvents: recording.activityEvents,
    notifications: server.notifications,
    alerts,
    request,
    signUp,
    close: () => server.stop({ dropConnections: true }),
  }
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>
