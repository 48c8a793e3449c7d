import { randomUUID } from 'node:crypto'
import type { ClientToServerEvents, ServerToClientEvents } from '@dialtone/shared/socket-events'
import type pino from 'pino'
import { io as connectSocket, type Socket } from 'socket.io-client'
import type { ApiKeyAuditEvent } from '../../src/api-keys/api-key-deps.ts'
import type { DatabaseKind } from '../../src/db/create-database.ts'
import { createLogger } from '../../src/lib/logger.ts'
import type { CreateRateLimits } from '../../src/security/limit-phone-number-creates.ts'
import { signVapiWebhook } from '../../src/vapi/verify-vapi-webhook.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-databases.ts'
import { startTestServer } from '../support/test-server.ts'

export const harnessSecrets = {
  authSecret: 'harness-auth-secret-7f3a9c1e5b2d4f6a8c0e2b4d6f8a1c3e',
  webhookSecret: 'harness-webhook-secret-d41d8cd98f00b204e9800998ecf8427e',
  vapiApiKey: 'harness-vapi-key-5e884898da28047151d0e56f8dc6292773603d0d',
  password: 'harness password 0f1e2d3c',
}

export interface SecurityHarnessOptions {
  /** Better Auth's sign-in and sign-up limits, as in production (main.ts turns them off only for NODE_ENV=test). */
  isAuthRateLimitEnabled?: boolean
  createRateLimits?: CreateRateLimits
  /** Where the server's logs go, and at which level; silent by default. */
  log?: { level: string; destination: pino.DestinationStream }
  sandboxDelayMs?: { min: number; max: number }
  /** The Vapi account's rate, as VAPI_MAX_RPS sets it in production (5); unbounded (1 000) by default. */
  vapiMaxRequestsPerSecond?: number
  /** A database of the caller's (two harnesses on one Postgres); closed with the harness. */
  database?: TestDatabase
  /** More environment, as a deployment would set it (TRUSTED_PROXY_HOPS, METRICS_TOKEN, ...). */
  env?: Record<string, string>
}

/** The same `max` a minute for every scope: for suites that buy more than a person would. */
export const roomyCreateRateLimits = (max: number): CreateRateLimits => ({
  perOrganization: { max, windowMs: 60_000 },
  perUser: { max, windowMs: 60_000 },
  perPlatform: { max, windowMs: 60_000 },
})

export type HarnessSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/**
 * The server wired as main.ts wires it (startDialtone) — one node:http server carrying the Hono app and Socket.IO, Better Auth,
 * a real database and the Vapi sandbox on a loopback port — so every request in these tests crosses a real
 * socket with real headers and real body streams. No background worker: nothing changes unless a test asks.
 */
export async function startSecurityHarness(kind: DatabaseKind, options: SecurityHarnessOptions = {}) {
  const database = options.database ?? (await createTestDatabase(kind))
  /** What the composition root told the audit log, in order. */
  const auditEvents: ApiKeyAuditEvent[] = []
  const server = await startTestServer(database, {
    onAuditEvent: (event) => auditEvents.push(event),
    authSecret: harnessSecrets.authSecret,
    webhookSecret: harnessSecrets.webhookSecret,
    vapiApiKey: harnessSecrets.vapiApiKey,
    env: {
      SANDBOX_MIN_DELAY_MS: String(options.sandboxDelayMs?.min ?? 60_000),
      SANDBOX_MAX_DELAY_MS: String(options.sandboxDelayMs?.max ?? 60_000),
      VAPI_TIMEOUT_MS: '5000',
      ...(options.vapiMaxRequestsPerSecond ? { VAPI_MAX_RPS: String(options.vapiMaxRequestsPerSecond) } : {}),
      ...options.env,
    },
    logger: options.log ? createLogger(options.log.level, options.log.destination) : createLogger('silent'),
    isAuthRateLimitEnabled: options.isAuthRateLimitEnabled ?? false,
    ...(options.createRateLimits ? { createRateLimits: options.createRateLimits } : {}),
    urls: ({ url }) => ({ publicUrl: url, trustedOrigins: [url], webhookUrl: `${url}/webhooks/vapi` }),
    version: 'harness',
  })
  const { sandbox, provisioning } = server
  const baseUrl = server.url

  /** A browser on our own page: same Origin, the session cookie when given. */
  const request = (path: string, init: RequestInit & { cookie?: string; json?: unknown } = {}) => {
    const headers = new Headers(init.headers)
    if (!headers.has('origin')) headers.set('origin', baseUrl)
    if (init.cookie) headers.set('cookie', init.cookie)
    let body = init.body
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json')
      body = JSON.stringify(init.json)
    }
    return fetch(`${baseUrl}${path}`, { ...init, headers, ...(body === undefined ? {} : { body }) })
  }

  const signUp = async (name = 'Owner', chosenEmail?: string) => {
    const email = chosenEmail ?? `${name.toLowerCase().replace(/\W/g, '')}-${randomUUID()}@example.com`
    const response = await request('/api/auth/sign-up/email', {
      method: 'POST',
      json: { name, email, password: harnessSecrets.password },
    })
    if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`)
    const setCookie = response.headers.get('set-cookie') ?? ''
    const cookie = setCookie.split(';')[0] ?? ''
    const member = await database.db
      .selectFrom('member')
      .select(['member.organizationId'])
      .innerJoin('user', 'user.id', 'member.userId')
      .where('user.email', '=', email)
      .executeTakeFirstOrThrow()
    return { cookie, setCookie, email, organizationId: member.organizationId }
  }

  /** Creates another organisation owned by the signed-in user and makes it their active one. */
  const createOrganization = async (cookie: string, name: string) => {
    const created = await request('/api/auth/organization/create', {
      method: 'POST',
      cookie,
      json: { name, slug: `${name.toLowerCase().replace(/\W/g, '-')}-${randomUUID()}` },
    })
    const body: unknown = await created.json()
    if (created.status !== 200) return { status: created.status, retryAfter: created.headers.get('retry-after'), body }
    const organizationId = (body as { id: string }).id
    const activated = await request('/api/auth/organization/set-active', {
      method: 'POST',
      cookie,
      json: { organizationId },
    })
    await activated.arrayBuffer()
    if (activated.status !== 200) throw new Error(`set-active failed: ${activated.status}`)
    return { status: created.status, retryAfter: null, body, organizationId }
  }

  const sockets: HarnessSocket[] = []
  /** Resolves with a connected socket, or rejects with the server's refusal; a browser sends its page's Origin. */
  const connect = (cookie: string | null, origin?: string) =>
    new Promise<HarnessSocket>((resolve, reject) => {
      const socket: HarnessSocket = connectSocket(baseUrl, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        extraHeaders: { ...(cookie ? { cookie } : {}), ...(origin ? { origin } : {}) },
      })
      sockets.push(socket)
      socket.once('connect', () => resolve(socket))
      socket.once('connect_error', (error) => reject(error))
    })

  /** A program's socket: no Origin, no cookie, its API key as `auth.token` (or in the Authorization header). */
  const connectWithKey = (key: string, via: 'auth' | 'header' = 'auth') =>
    new Promise<HarnessSocket>((resolve, reject) => {
      const socket: HarnessSocket = connectSocket(baseUrl, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        ...(via === 'auth' ? { auth: { token: key } } : { extraHeaders: { authorization: `Bearer ${key}` } }),
      })
      sockets.push(socket)
      socket.once('connect', () => resolve(socket))
      socket.once('connect_error', (error) => reject(error))
    })

  /** Headers a Vapi holding the shared secret would send with this body. */
  const signedHeaders = (rawBody: string, timestampMs = Date.now()) => ({
    'content-type': 'application/json',
    ...signVapiWebhook({ mode: 'hmac', secret: harnessSecrets.webhookSecret, rawBody, timestampMs }),
  })

  return {
    baseUrl,
    auth: server.auth,
    db: database.db,
    sandbox,
    provisioning,
    notifications: server.notifications,
    request,
    signUp,
    createOrganization,
    connect,
    connectWithKey,
    realtime: server.realtime,
    auditEvents,
    app: server.app,
    /** The carrier APIs this server uses (its in-process sandboxes). */
    twilioBaseUrl: server.twilioBaseUrl,
    telnyxBaseUrl: server.telnyxBaseUrl,
    signedHeaders,
    close: async () => {
      for (const socket of sockets) socket.disconnect()
      await server.stop({ dropConnections: true })
    },
  }
}

export type SecurityHarness = Awaited<ReturnType<typeof startSecurityHarness>>
