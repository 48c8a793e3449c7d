import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import type { ClientToServerEvents, ServerToClientEvents } from '@dialtone/shared/socket-events'
import type pino from 'pino'
import { io as connectSocket, type Socket } from 'socket.io-client'
import { createApp } from '../app.ts'
import { loadAreaCodeDirectory } from '../area-codes/area-code-directory.ts'
import { createAuth } from '../auth/create-auth.ts'
import type { DatabaseKind } from '../db/create-database.ts'
import { systemClock } from '../lib/clock.ts'
import { createLogger } from '../lib/logger.ts'
import type { ProvisioningDeps } from '../provisioning/provisioning-deps.ts'
import { createRealtimeServer } from '../realtime/socket-server.ts'
import { createTestDatabase } from '../test-support/test-databases.ts'
import { createVapiClient } from '../vapi/vapi-client.ts'
import { startVapiSandbox } from '../vapi-sandbox/start-vapi-sandbox.ts'
import { signVapiWebhook } from '../webhooks/verify-vapi-webhook.ts'
import type { CreateRateLimit } from './limit-phone-number-creates.ts'

export const harnessSecrets = {
  authSecret: 'harness-auth-secret-7f3a9c1e5b2d4f6a8c0e2b4d6f8a1c3e',
  webhookSecret: 'harness-webhook-secret-d41d8cd98f00b204e9800998ecf8427e',
  vapiApiKey: 'harness-vapi-key-5e884898da28047151d0e56f8dc6292773603d0d',
  password: 'harness password 0f1e2d3c',
}

export interface SecurityHarnessOptions {
  /** Better Auth's sign-in and sign-up limits, as in production (main.ts turns them off only for NODE_ENV=test). */
  isAuthRateLimitEnabled?: boolean
  createRateLimit?: CreateRateLimit
  /** Where the server's logs go, and at which level; silent by default. */
  log?: { level: string; destination: pino.DestinationStream }
  sandboxDelayMs?: { min: number; max: number }
}

export type HarnessSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/**
 * The server wired as main.ts wires it — one node:http server carrying the Hono app and Socket.IO, Better Auth,
 * a real database and the Vapi sandbox on a loopback port — so every request in these tests crosses a real
 * socket with real headers and real body streams. No background worker: nothing changes unless a test asks.
 */
export async function startSecurityHarness(kind: DatabaseKind, options: SecurityHarnessOptions = {}) {
  const database = await createTestDatabase(kind)
  const logger = options.log ? createLogger(options.log.level, options.log.destination) : createLogger('silent')
  const sandbox = await startVapiSandbox({
    port: 0,
    host: '127.0.0.1',
    minDelayMs: options.sandboxDelayMs?.min ?? 60_000,
    maxDelayMs: options.sandboxDelayMs?.max ?? 60_000,
    webhookSecret: harnessSecrets.webhookSecret,
    webhookAuth: 'hmac',
    logger: logger.child({ component: 'vapi-sandbox' }),
  })
  const vapi = createVapiClient({
    baseUrl: sandbox.url,
    apiKey: harnessSecrets.vapiApiKey,
    timeoutMs: 5_000,
    maxRequestsPerSecond: 1_000,
    retryBaseDelayMs: 10,
    logger: logger.child({ component: 'vapi' }),
  })

  let handle: ReturnType<typeof getRequestListener> | null = null
  const httpServer = createServer((req, res) => {
    if (handle) void handle(req, res)
  })
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
  const baseUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`
  const trustedOrigins = [baseUrl]

  const auth = createAuth({
    db: database.db,
    secret: harnessSecrets.authSecret,
    baseUrl,
    trustedOrigins,
    isRateLimitEnabled: options.isAuthRateLimitEnabled ?? false,
  })
  const realtime = createRealtimeServer({
    httpServer,
    auth,
    db: database.db,
    logger: logger.child({ component: 'realtime' }),
  })
  const provisioning: ProvisioningDeps = {
    db: database.db,
    vapi,
    publisher: realtime.publisher,
    clock: systemClock,
    logger: logger.child({ component: 'provisioning' }),
    deadlineMs: 900_000,
    webhookUrl: `${baseUrl}/webhooks/vapi`,
  }
  const app = createApp({
    provisioning,
    auth,
    areaCodes: loadAreaCodeDirectory(),
    logger,
    isSandbox: true,
    version: 'harness',
    trustedOrigins,
    webhook: { authMode: 'hmac', secret: harnessSecrets.webhookSecret },
    notifications: { mailDelivery: 'mailbox', unsubscribeSecret: harnessSecrets.authSecret, publicUrl: baseUrl },
    webDistDir: null,
    ...(options.createRateLimit ? { createRateLimit: options.createRateLimit } : {}),
  })
  handle = getRequestListener(app.fetch)

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

  const signUp = async (name = 'Owner') => {
    const email = `${name.toLowerCase().replace(/\W/g, '')}-${randomUUID()}@example.com`
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

  const sockets: HarnessSocket[] = []
  /** Resolves with a connected socket, or rejects with the server's refusal. */
  const connect = (cookie: string | null) =>
    new Promise<HarnessSocket>((resolve, reject) => {
      const socket: HarnessSocket = connectSocket(baseUrl, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        extraHeaders: cookie ? { cookie } : {},
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
    db: database.db,
    sandbox,
    provisioning,
    request,
    signUp,
    connect,
    signedHeaders,
    close: async () => {
      for (const socket of sockets) socket.disconnect()
      httpServer.closeAllConnections()
      // Closes the HTTP server it is attached to as well.
      await realtime.io.close()
      await sandbox.close()
      await database.close()
    },
  }
}

export type SecurityHarness = Awaited<ReturnType<typeof startSecurityHarness>>
