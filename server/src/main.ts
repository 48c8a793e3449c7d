import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { getRequestListener } from '@hono/node-server'
import { createApp } from './app.ts'
import { loadAreaCodeDirectory } from './area-codes/area-code-directory.ts'
import { createAuth } from './auth/create-auth.ts'
import { demoAccounts, ensureDemoAccounts } from './auth/ensure-demo-accounts.ts'
import { resolveConfig } from './config.ts'
import { createDatabase } from './db/create-database.ts'
import { migrateToLatest } from './db/migrate.ts'
import { EnvError, readProcessEnv, type Env } from './env.ts'
import { systemClock } from './lib/clock.ts'
import { createLogger } from './lib/logger.ts'
import {
  defaultWorkerOptions,
  startProvisioningWorker,
  type ProvisioningWorker,
} from './provisioning/provisioning-worker.ts'
import { createMetrics } from './metrics/metrics.ts'
import { chooseMailTransport } from './notifications/mail-transport.ts'
import { defaultRetryDelaysMs, type NotificationDeps } from './notifications/notification-deps.ts'
import { startNotificationWorker } from './notifications/notification-worker.ts'
import { deriveUnsubscribeSecret } from './notifications/unsubscribe-token.ts'
import { createSocketAdapter } from './realtime/socket-adapter.ts'
import type { ProvisioningDeps } from './provisioning/provisioning-deps.ts'
import { createRealtimeServer } from './realtime/socket-server.ts'
import { createVapiClient } from './vapi/vapi-client.ts'
import { startVapiSandbox } from './vapi-sandbox/start-vapi-sandbox.ts'

const version = '0.1.0'
const webDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist')

function readEnvOrExit(): Env {
  try {
    return readProcessEnv()
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`dialtone cannot start.\n${error.message}\nSee the Configuration table in README.md.`)
      process.exit(1)
    }
    throw error
  }
}

/** The one composition root: env → db → vapi → app → http server → socket → poller; graceful shutdown. */
async function main() {
  const env = readEnvOrExit()
  const config = await resolveConfig(env)
  const logger = createLogger(env.LOG_LEVEL)
  const runsWeb = env.ROLE !== 'worker'
  const runsWorker = env.ROLE !== 'web'

  const database = await createDatabase(
    config.isEmbeddedDatabase
      ? { kind: 'pglite', dataDir: env.DATA_DIR }
      : { kind: 'postgres', url: env.DATABASE_URL ?? '' },
  )
  const applied = await migrateToLatest(database.db)
  if (applied.length > 0) logger.info({ applied }, 'migrations applied')

  const sandbox =
    config.vapiBaseUrl === null
      ? await startVapiSandbox({
          port: 0,
          host: '127.0.0.1',
          minDelayMs: env.SANDBOX_MIN_DELAY_MS,
          maxDelayMs: env.SANDBOX_MAX_DELAY_MS,
          freeNumberLimit: env.SANDBOX_FREE_NUMBER_LIMIT,
          webhookSecret: config.webhookSecret,
          webhookAuth: env.VAPI_WEBHOOK_AUTH,
          logger: logger.child({ component: 'vapi-sandbox' }),
        })
      : null
  const vapiBaseUrl = sandbox?.url ?? config.vapiBaseUrl ?? ''
  const vapi = createVapiClient({
    baseUrl: vapiBaseUrl,
    apiKey: config.vapiApiKey,
    timeoutMs: env.VAPI_TIMEOUT_MS,
    maxRequestsPerSecond: env.VAPI_MAX_RPS,
    logger: logger.child({ component: 'vapi' }),
  })

  // Listen first so PORT=0 works and PUBLIC_URL can default to the real port; requests wait for the app.
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | null = null
  const httpServer = createServer((req, res) => {
    if (handle) return handle(req, res)
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' })
    res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'dialtone is starting.' } }))
  })
  if (runsWeb) await new Promise<void>((resolve) => httpServer.listen(env.PORT, env.HOST, resolve))
  const port = runsWeb ? (httpServer.address() as AddressInfo).port : env.PORT
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '')
  const trustedOrigins = [
    ...new Set([publicUrl, `http://localhost:${port}`, `http://127.0.0.1:${port}`, 'http://localhost:5173']),
  ]

  const auth = createAuth({
    db: database.db,
    secret: config.authSecret,
    baseUrl: publicUrl,
    trustedOrigins,
    isRateLimitEnabled: env.NODE_ENV !== 'test',
  })
  const adapter = await createSocketAdapter({ redisUrl: env.REDIS_URL, pool: database.pool, logger })
  const realtime = createRealtimeServer({
    httpServer: runsWeb ? httpServer : null,
    auth,
    db: database.db,
    logger: logger.child({ component: 'realtime' }),
    ...(adapter ? { adapter: adapter.adapter } : {}),
  })
  const metrics = createMetrics()
  const countSockets = () => metrics.socketsConnected.set(realtime.io.of('/').sockets.size)
  realtime.io.on('connection', (socket) => {
    countSockets()
    socket.on('disconnect', countSockets)
  })

  const provisioning: ProvisioningDeps = {
    db: database.db,
    vapi,
    publisher: metrics.observePublisher(realtime.publisher),
    clock: systemClock,
    logger: logger.child({ component: 'provisioning' }),
    deadlineMs: env.PROVISIONING_DEADLINE_MS,
    webhookUrl: `${publicUrl}/webhooks/vapi`,
  }
  const worker: ProvisioningWorker | null = runsWorker
    ? startProvisioningWorker(provisioning, {
        ...defaultWorkerOptions,
        reconcileSettleMs: env.PROVISIONING_RECONCILE_SETTLE_MS,
        housekeepingMs: env.PROVISIONING_HOUSEKEEPING_MS,
        onRound: metrics.recordPollRound,
      })
    : null

  const notifications: NotificationDeps = {
    db: database.db,
    clock: systemClock,
    logger: logger.child({ component: 'notifications' }),
    transport: chooseMailTransport({
      smtpUrl: env.SMTP_URL,
      isSandbox: config.isSandbox,
      isEmbeddedDatabase: config.isEmbeddedDatabase,
    }),
    mailFrom: env.MAIL_FROM,
    publicUrl,
    unsubscribeSecret: deriveUnsubscribeSecret(config.authSecret),
    foldWindowMs: env.MAIL_FOLD_WINDOW_MS,
    stuckAfterMs: env.NOTIFY_STUCK_AFTER_MS,
    retryDelaysMs: defaultRetryDelaysMs,
    leaseMs: 120_000,
    deadlineMs: env.PROVISIONING_DEADLINE_MS,
    alertPublisher: realtime.alertPublisher,
    alertWebhook:
      env.ADMIN_ALERT_WEBHOOK_URL && env.ADMIN_ALERT_WEBHOOK_SECRET
        ? { url: env.ADMIN_ALERT_WEBHOOK_URL, secret: env.ADMIN_ALERT_WEBHOOK_SECRET }
        : null,
  }
  const notificationWorker = runsWorker
    ? startNotificationWorker(notifications, { intervalMs: 1_000, alertEvaluationMs: env.ALERT_EVALUATION_MS })
    : null

  const app = createApp({
    provisioning,
    auth,
    areaCodes: loadAreaCodeDirectory(),
    logger,
    isSandbox: config.isSandbox,
    version,
    trustedOrigins,
    webhook: { authMode: env.VAPI_WEBHOOK_AUTH, secret: config.webhookSecret },
    notifications: {
      mailDelivery: notifications.transport.kind,
      unsubscribeSecret: notifications.unsubscribeSecret,
      publicUrl,
    },
    webDistDir,
    onPhoneNumberCreated: () => {
      metrics.recordCreated()
      worker?.wake()
    },
    onWebhookDelivery: metrics.recordWebhook,
    extraRoutes: (root) => root.route('/', metrics.routes()),
  })
  // Before the app takes requests, so /readyz never answers while the printed demo accounts do not exist yet.
  const shouldCreateDemo = config.isSandbox && config.isEmbeddedDatabase && env.DEMO_ACCOUNTS
  if (shouldCreateDemo) await ensureDemoAccounts(auth, database.db)
  const listener = getRequestListener(app.fetch)
  handle = (req, res) => void listener(req, res)

  const lines = [
    `dialtone ${version} (${env.ROLE}) on ${config.isEmbeddedDatabase ? `embedded PGlite in ${path.resolve(env.DATA_DIR)}` : 'Postgres'}`,
    runsWeb ? `  open ${publicUrl}` : '  worker only: no HTTP server',
    config.isSandbox
      ? `  SANDBOX MODE: no VAPI_API_KEY, so numbers come from the built-in Vapi sandbox at ${vapiBaseUrl} (nothing real is bought)`
      : `  Vapi: ${vapiBaseUrl}`,
  ]
  if (shouldCreateDemo) {
    lines.push(
      `  demo owner: ${demoAccounts.owner.email} / ${demoAccounts.owner.password}`,
      `  demo admin: ${demoAccounts.admin.email} / ${demoAccounts.admin.password}`,
    )
  }
  console.log(lines.join('\n'))

  let isShuttingDown = false
  const shutdown = async (signal: string) => {
    if (isShuttingDown) return
    isShuttingDown = true
    logger.info({ signal }, 'shutting down')
    const force = setTimeout(() => process.exit(1), 15_000)
    force.unref()
    // Stop taking requests and let in-flight ones finish; finish the poll round; then close the rest.
    const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()))
    httpServer.closeIdleConnections()
    await worker?.stop()
    await notificationWorker?.stop()
    await realtime.io.close()
    await adapter?.close()
    await closed.catch(() => {})
    await sandbox?.close()
    await database.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

main().catch((error: unknown) => {
  console.error('dialtone failed to start:', error)
  process.exit(1)
})
