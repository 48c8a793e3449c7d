import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { getRequestListener } from '@hono/node-server'
import { createApp, defaultApiKeyRateLimit, type AppDeps } from './app.ts'
import { loadAreaCodeDirectory } from './area-codes/area-code-directory.ts'
import { createAuth } from './auth/create-auth.ts'
import { ensureDemoAccounts } from './auth/ensure-demo-accounts.ts'
import type { Config } from './config.ts'
import { createDatabase, type DatabaseHandle } from './db/create-database.ts'
import { migrateToLatest } from './db/migrate.ts'
import { errorBody } from './lib/app-error.ts'
import { systemClock, type Clock } from './lib/clock.ts'
import { createLogger, type Logger } from './lib/logger.ts'
import { createMetrics } from './metrics/metrics.ts'
import { chooseMailTransport } from './notifications/mail-transport.ts'
import {
  defaultRetryDelaysMs,
  type AdminAlertPublisher,
  type NotificationDeps,
} from './notifications/notification-deps.ts'
import { startNotificationWorker } from './notifications/notification-worker.ts'
import type { InboundLogDeps } from './inbound-log/inbound-log-deps.ts'
import { startInboundLogPruner } from './inbound-log/inbound-log-worker.ts'
import { handleVapiMessage } from './inbound-log/handle-vapi-message.ts'
import { deriveUnsubscribeSecret } from './notifications/unsubscribe-token.ts'
import type { ProvisioningDeps } from './provisioning/provisioning-deps.ts'
import {
  defaultWorkerOptions,
  startProvisioningWorker,
  type ProvisioningWorker,
} from './provisioning/provisioning-worker.ts'
import { changeFeed } from './provisioning/poll-schedule.ts'
import type { PhoneNumberPublisher } from './realtime/publisher.ts'
import { createSocketAdapter } from './realtime/socket-adapter.ts'
import { createRealtimeServer, noSocketRevocation, type SocketRevocation } from './realtime/socket-server.ts'
import { allowedOriginsFrom } from './lib/allowed-origins.ts'
import { proxyTrustFrom } from './security/client-address.ts'
import { defaultAuthRateLimits } from './security/limit-auth-requests.ts'
import type { CreateRateLimits } from './security/limit-phone-number-creates.ts'
import { connectRedisRateLimitStore, createPostgresRateLimitStore } from './security/rate-limit-store.ts'
import { createVapiRateLimiter } from './vapi/vapi-rate-limiter.ts'
import { createOutboundWebhookDeps } from './outbound-webhooks/outbound-webhook-deps.ts'
import { startOutboundWebhookWorker } from './outbound-webhooks/outbound-webhook-worker.ts'
import { createVapiClient } from './vapi/vapi-client.ts'
import { createVapiAccounts } from './connections/vapi-accounts.ts'
import { createAssistantLister } from './connections/list-assistants.ts'
import type { ConnectionDeps } from './connections/connect-vapi-account.ts'
import { createCredentialBox, fingerprintSecret } from './credentials/credential-box.ts'
import { createPostgresVapiPauseStore } from './vapi/vapi-pause-repository.ts'
import { startVapiSandbox } from './vapi-sandbox/start-vapi-sandbox.ts'
import { startProcessHeartbeat } from './processes/process-heartbeat.ts'
import { advanceDueCarrierPurchases } from './carrier-purchases/advance-due-carrier-purchases.ts'
import type { CarrierPurchaseDeps } from './carrier-purchases/carrier-purchase-deps.ts'
import { createCarrierAccounts } from './connections/carrier-accounts.ts'
import { deleteOldCarrierWebhookEvents } from './carrier-purchases/carrier-purchase-repository.ts'
import { startTelnyxSandbox, startTwilioSandbox } from './carrier-sandbox/start-carrier-sandboxes.ts'
import type { TelnyxSandboxOptions } from './carrier-sandbox/telnyx-sandbox.ts'
import { defaultTwilioBaseUrl } from './carriers/twilio-client.ts'
import { defaultTelnyxBaseUrl } from './carriers/telnyx-client.ts'
import type { CallEventDeps } from './call-events/call-event-deps.ts'
import { startCallEventWorker } from './call-events/call-event-worker.ts'

export const version = '0.1.0'
/** How long Telnyx webhook events are kept for de-duplication (Telnyx retries for far less). */
const carrierEventRetentionMs = 7 * 24 * 60 * 60_000
/** The built web app, served by the server; resolved from server/src or server/dist alike. */
export const defaultWebDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist')

/** Where the server is reached once it listens: the auth base URL, the origins it trusts, where Vapi posts. */
export interface ServerUrls {
  publicUrl: string
  trustedOrigins: string[]
  webhookUrl: string
}

/** main.ts's rule: PUBLIC_URL, or http://localhost:<port>; trusted origins from it and ALLOWED_HOSTS. */
function defaultUrls(config: Config, port: number): ServerUrls {
  const publicUrl = (config.env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '')
  const trustedOrigins = allowedOriginsFrom({
    publicUrl,
    isPublicUrlConfigured: config.env.PUBLIC_URL !== undefined,
    allowedHosts: config.env.ALLOWED_HOSTS,
    port,
    isDevelopment: config.env.NODE_ENV === 'development',
  })
  return { publicUrl, trustedOrigins, webhookUrl: `${publicUrl}/webhooks/vapi` }
}

/** What a caller other than main.ts may change; everything else comes from the configuration. */
export interface ComposeOptions {
  logger?: Logger
  /** A database already migrated (tests bring a throwaway one); the server closes it on stop(). */
  database?: DatabaseHandle
  /** Overrides ROLE's worker: tests drive the poller round by round. */
  runsWorker?: boolean
  /** Replaces the Socket.IO publisher (tests record what would have been told to browsers). */
  publisher?: PhoneNumberPublisher
  clock?: Clock
  /** Share Socket.IO rooms across processes (Redis or Postgres); on by default, as in production. */
  clusterAdapter?: boolean
  urls?: (listening: { port: number; url: string }) => ServerUrls
  /** dialtone's sign-in, sign-up and account limits; on unless NODE_ENV=test, as in production. */
  isAuthRateLimitEnabled?: boolean
  createRateLimits?: CreateRateLimits
  vapiRetryBaseDelayMs?: number
  /** Replaces the Socket.IO alert publisher (tests record what admins' browsers would have been told). */
  alertPublisher?: AdminAlertPublisher
  /** Compressed in tests: the waits before each retry of a mail. */
  mailRetryDelaysMs?: readonly number[]
  webDistDir?: string | null
  version?: string
  /** Told when an API key is made or revoked: where the organisation's audit log plugs in. */
  onAuditEvent?: AppDeps['onAuditEvent']
  /** Carrier APIs (or sandboxes a test started itself) instead of the configured ones; and the saga's timings. */
  carriers?: { twilioBaseUrl: string | null; telnyxBaseUrl: string | null; telnyxPublicKey: string | null }
  /** Tests compress these: a saga's lease, how soon an unclear order is asked about, a carrier request's timeout. */
  carrierTimings?: { purchaseLeaseMs?: number; orderCheckMs?: number; requestTimeoutMs?: number }
  /** The in-process Telnyx sandbox's timings (tests shorten them): order delay, webhook retries. */
  telnyxSandbox?: Pick<TelnyxSandboxOptions, 'orderMinDelayMs' | 'orderMaxDelayMs' | 'webhookRetryDelaysMs'>
}

export type DialtoneServer = Awaited<ReturnType<typeof startDialtone>>

/**
 * The one composition root: database → Vapi (or the built-in sandbox) → HTTP server → auth → realtime →
 * provisioning → worker → app. main.ts, the test harnesses, the chaos suite and the benchmarks all start the
 * server through here; stop() closes everything it started, in the order a graceful shutdown needs.
 */
export async function startDialtone(config: Config, options: ComposeOptions = {}) {
  const { env } = config
  const logger = options.logger ?? createLogger(env.LOG_LEVEL)
  const runsWeb = env.ROLE !== 'worker'
  const runsWorker = options.runsWorker ?? env.ROLE !== 'web'

  const database =
    options.database ??
    (await createDatabase(
      config.isEmbeddedDatabase
        ? { kind: 'pglite', dataDir: env.DATA_DIR, lockWaitMs: 10_000 }
        : { kind: 'postgres', url: env.DATABASE_URL ?? '' },
    ))
  if (!options.database) {
    const applied = await migrateToLatest(database.db)
    if (applied.length > 0) logger.info({ applied }, 'migrations applied')
  }
  // Registered before any worker claims: claims carry this id, so a process that dies leaves them to the others
  // at once rather than after a whole lease.
  const heartbeat = await startProcessHeartbeat(database.db, randomUUID(), logger.child({ component: 'process' }))

  // The Twilio and Telnyx sandboxes (sandbox mode, TWILIO_BASE_URL / TELNYX_BASE_URL unset), each on its own port,
  // their state beside the Vapi sandbox's (docs/carrier-sandboxes.md). Telnyx's number-order webhooks go to this
  // server's /webhooks/telnyx once its URL is known.
  let telnyxWebhookUrl: string | null = null
  const carrierStateFile = (carrier: 'twilio' | 'telnyx') =>
    env.SANDBOX_STATE_FILE
      ? path.join(path.dirname(path.resolve(env.SANDBOX_STATE_FILE)), `${carrier}-sandbox.json`)
      : config.isEmbeddedDatabase && !options.database
        ? path.resolve(env.DATA_DIR, `${carrier}-sandbox.json`)
        : undefined
  const twilioSandbox =
    config.twilioBaseUrl === null
      ? await startTwilioSandbox({
          port: 0,
          logger,
          ...(carrierStateFile('twilio') === undefined ? {} : { stateFile: carrierStateFile('twilio') }),
        })
      : null
  const telnyxSandbox =
    config.telnyxBaseUrl === null
      ? await startTelnyxSandbox({
          port: 0,
          logger,
          webhookUrl: () => telnyxWebhookUrl,
          restoredSettlementDelayMs: 5_000,
          ...options.telnyxSandbox,
          ...(carrierStateFile('telnyx') === undefined ? {} : { stateFile: carrierStateFile('telnyx') }),
        })
      : null
  const twilioBaseUrl = twilioSandbox?.baseUrl ?? config.twilioBaseUrl ?? defaultTwilioBaseUrl
  const telnyxBaseUrl = telnyxSandbox?.baseUrl ?? config.telnyxBaseUrl ?? defaultTelnyxBaseUrl
  // The in-process sandbox signs with its own key, whatever TELNYX_PUBLIC_KEY says.
  const telnyxPublicKey = telnyxSandbox?.publicKey ?? config.telnyxPublicKey

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
          // On the embedded database this process opened, the sandbox's numbers live beside it in DATA_DIR, so a
          // restart neither forgets live numbers nor fails pending ones. Tests bring their own database: no file.
          stateFile:
            env.SANDBOX_STATE_FILE ??
            (config.isEmbeddedDatabase && !options.database
              ? path.resolve(env.DATA_DIR, 'vapi-sandbox.json')
              : undefined),
          // Assignments that fell due while the process was down wait until this server listens for their webhook.
          restoredSettlementDelayMs: 5_000,
          // Twilio and Telnyx imports are checked with the carriers this server uses.
          carriers: { twilioBaseUrl, telnyxBaseUrl },
        })
      : null
  const vapiBaseUrl = sandbox?.url ?? config.vapiBaseUrl ?? ''
  // The poller's change feed (issue 19), or per-number checks only; read by the worker and by each new purchase.
  changeFeed.enabled = env.VAPI_CHANGE_FEED === 'on'
  // One limiter for every Vapi client of this process: each Vapi account key gets VAPI_MAX_RPS, shared fairly.
  const vapiLimiter = createVapiRateLimiter({ ratePerSecond: env.VAPI_MAX_RPS })
  // A Retry-After pause Vapi gives one process holds for every process (vapi_account_pause).
  const vapiPauses = createPostgresVapiPauseStore(database.db)
  const makeVapiClient = (apiKey: string, accountKey: string) =>
    createVapiClient({
      baseUrl: vapiBaseUrl,
      apiKey,
      accountKey,
      sharedPauses: vapiPauses,
      timeoutMs: env.VAPI_TIMEOUT_MS,
      limiter: vapiLimiter,
      ...(options.vapiRetryBaseDelayMs === undefined ? {} : { retryBaseDelayMs: options.vapiRetryBaseDelayMs }),
      logger: logger.child({ component: 'vapi' }),
    })
  // The deployment's own account: VAPI_API_KEY (the sandbox's shared key in sandbox mode).
  const vapi = makeVapiClient(config.vapiApiKey, fingerprintSecret(config.vapiApiKey))
  // The one box every stored secret is sealed with (decision 0010).
  const credentialBox = createCredentialBox(config.credentialKeys)
  if (config.credentialsKeySource === 'auth-secret') {
    logger.warn(
      'CREDENTIALS_KEY is not set: stored secrets are sealed under a key derived from AUTH_SECRET. Set CREDENTIALS_KEY (openssl rand -hex 32), keep the old one readable with CREDENTIALS_KEY_PREVIOUS if it was set, and run pnpm credentials:rotate.',
    )
  }
  const vapiAccounts = createVapiAccounts({
    db: database.db,
    box: credentialBox,
    policy: env.VAPI_ACCOUNT_POLICY,
    isSandbox: config.isSandbox,
    platformClient: vapi,
    sandboxUrl: config.isSandbox ? vapiBaseUrl : null,
    makeClient: makeVapiClient,
    logger: logger.child({ component: 'vapi-accounts' }),
  })

  // Listen first so PORT=0 works and PUBLIC_URL can default to the real port; requests wait for the app.
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | null = null
  const httpServer = createServer((req, res) => {
    if (handle) return handle(req, res)
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' })
    res.end(JSON.stringify(errorBody('INTERNAL', 'dialtone is starting.')))
  })
  if (runsWeb) await new Promise<void>((resolve) => httpServer.listen(env.PORT, env.HOST, resolve))
  const port = runsWeb ? (httpServer.address() as AddressInfo).port : env.PORT
  const listeningHost = env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST
  const url = `http://${listeningHost}:${port}`
  const urls = options.urls ? options.urls({ port, url }) : defaultUrls(config, port)
  telnyxWebhookUrl = `${urls.publicUrl}/webhooks/telnyx`

  // Auth comes first (sockets authenticate through it); the sockets a session's end ends are known just below.
  let revocation: SocketRevocation = noSocketRevocation
  const auth = createAuth({
    db: database.db,
    secret: config.authSecret,
    baseUrl: urls.publicUrl,
    trustedOrigins: urls.trustedOrigins,
    onSessionEnded: (session) => revocation.sessionEnded(session.id),
  })
  // Counted where every process sees the same count: Redis when configured, else the shared Postgres.
  const rateLimitStore = env.REDIS_URL
    ? await connectRedisRateLimitStore(env.REDIS_URL, {
        onError: (error) => logger.warn({ err: error }, 'redis rate-limit store error'),
      })
    : createPostgresRateLimitStore(database.db)
  const adapter =
    (options.clusterAdapter ?? true)
      ? await createSocketAdapter({ redisUrl: env.REDIS_URL, pool: database.pool, logger })
      : null
  const realtime = createRealtimeServer({
    httpServer: runsWeb ? httpServer : null,
    auth,
    db: database.db,
    logger: logger.child({ component: 'realtime' }),
    allowedOrigins: urls.trustedOrigins,
    ...(adapter ? { adapter: adapter.adapter } : {}),
    apiKeys: { db: database.db, clock: options.clock ?? systemClock, mode: config.isSandbox ? 'test' : 'live' },
  })
  revocation = realtime.revocation
  const metrics = createMetrics()
  const countSockets = () => metrics.socketsConnected.set(realtime.io.of('/').sockets.size)
  realtime.io.on('connection', (socket) => {
    countSockets()
    socket.on('disconnect', countSockets)
  })

  const provisioning: ProvisioningDeps = {
    db: database.db,
    vapi,
    publisher: metrics.observePublisher(options.publisher ?? realtime.publisher),
    clock: options.clock ?? systemClock,
    logger: logger.child({ component: 'provisioning' }),
    deadlineMs: env.PROVISIONING_DEADLINE_MS,
    webhookUrl: urls.webhookUrl,
    vapiAccounts,
    setsServerUrl: config.isSandbox,
    processId: heartbeat.processId,
  }
  const connections: ConnectionDeps = {
    db: database.db,
    box: credentialBox,
    accounts: vapiAccounts,
    // Not cached: a key is only an account once it was checked and stored.
    clientForUncheckedKey: (apiKey) => makeVapiClient(apiKey, `unchecked:${fingerprintSecret(apiKey)}`),
    logger: logger.child({ component: 'connections' }),
    now: () => provisioning.clock.now(),
  }
  // Carrier numbers (decision 0014): each organisation's Twilio and Telnyx accounts, and the purchase sagas.
  const carrierUrls = options.carriers ?? { twilioBaseUrl, telnyxBaseUrl, telnyxPublicKey }
  const carrierAccounts = createCarrierAccounts({
    db: database.db,
    box: credentialBox,
    isSandbox: config.isSandbox,
    twilioBaseUrl: carrierUrls.twilioBaseUrl,
    telnyxBaseUrl: carrierUrls.telnyxBaseUrl,
    telnyxWebhookUrl: `${urls.webhookUrl.replace(/\/webhooks\/vapi$/, '')}/webhooks/telnyx`,
    ...(options.carrierTimings?.requestTimeoutMs === undefined
      ? {}
      : { timeoutMs: options.carrierTimings.requestTimeoutMs }),
    logger: logger.child({ component: 'carrier-accounts' }),
  })
  let wakeWorker = () => {}
  const carrierPurchases: CarrierPurchaseDeps = {
    ...provisioning,
    carrierAccounts,
    ...(options.carrierTimings?.purchaseLeaseMs === undefined
      ? {}
      : { purchaseLeaseMs: options.carrierTimings.purchaseLeaseMs }),
    ...(options.carrierTimings?.orderCheckMs === undefined
      ? {}
      : { orderCheckMs: options.carrierTimings.orderCheckMs }),
    onPurchaseDue: () => wakeWorker(),
  }
  const worker: ProvisioningWorker | null = runsWorker
    ? startProvisioningWorker(provisioning, {
        ...defaultWorkerOptions,
        reconcileSettleMs: env.PROVISIONING_RECONCILE_SETTLE_MS,
        housekeepingMs: env.PROVISIONING_HOUSEKEEPING_MS,
        onRound: metrics.recordPollRound,
        alsoEachRound: () => advanceDueCarrierPurchases(carrierPurchases),
        // Long enough to answer any retry of an event as a duplicate.
        alsoInHousekeeping: () =>
          deleteOldCarrierWebhookEvents(
            database.db,
            new Date(provisioning.clock.now().getTime() - carrierEventRetentionMs),
          ),
      })
    : null
  wakeWorker = () => worker?.wake()
  const outboundWebhooks = createOutboundWebhookDeps({
    db: database.db,
    logger,
    secretBox: credentialBox,
    env,
    clock: provisioning.clock,
    processId: heartbeat.processId,
  })
  const webhookWorker = runsWorker ? startOutboundWebhookWorker(outboundWebhooks) : null
  // Call events (issue 17): Vapi's call messages move the numbers' activity and are relayed to organisations' servers.
  let callEventWorker: ReturnType<typeof startCallEventWorker> | null = null
  const callEvents: CallEventDeps = {
    db: database.db,
    clock: provisioning.clock,
    logger: logger.child({ component: 'call-events' }),
    box: credentialBox,
    addressPolicy: { allowPrivateAddresses: env.WEBHOOK_ALLOW_PRIVATE_URLS },
    publisher: provisioning.publisher,
    provisioning,
    relayTimeoutMs: env.CALL_EVENTS_RELAY_TIMEOUT_MS,
    onQueued: () => callEventWorker?.wake(),
    sandboxUrl: sandbox ? vapiBaseUrl : null,
    processId: heartbeat.processId,
  }
  callEventWorker = runsWorker ? startCallEventWorker(callEvents) : null

  const notifications: NotificationDeps = {
    db: database.db,
    clock: provisioning.clock,
    logger: logger.child({ component: 'notifications' }),
    transport: chooseMailTransport({
      smtpUrl: env.SMTP_URL,
      isSandbox: config.isSandbox,
      isEmbeddedDatabase: config.isEmbeddedDatabase,
    }),
    mailFrom: env.MAIL_FROM,
    publicUrl: urls.publicUrl,
    unsubscribeSecret: deriveUnsubscribeSecret(config.authSecret),
    foldWindowMs: env.MAIL_FOLD_WINDOW_MS,
    stuckAfterMs: env.NOTIFY_STUCK_AFTER_MS,
    retryDelaysMs: options.mailRetryDelaysMs ?? defaultRetryDelaysMs,
    leaseMs: 120_000,
    processId: heartbeat.processId,
    deadlineMs: env.PROVISIONING_DEADLINE_MS,
    alertPublisher: options.alertPublisher ?? realtime.alertPublisher,
    alertWebhook:
      env.ADMIN_ALERT_WEBHOOK_URL && env.ADMIN_ALERT_WEBHOOK_SECRET
        ? { url: env.ADMIN_ALERT_WEBHOOK_URL, secret: env.ADMIN_ALERT_WEBHOOK_SECRET }
        : null,
  }
  const notificationWorker = runsWorker
    ? startNotificationWorker(notifications, {
        intervalMs: 1_000,
        alertEvaluationMs: env.ALERT_EVALUATION_MS,
        auditRetentionMs: env.AUDIT_RETENTION_DAYS * 24 * 60 * 60 * 1_000,
      })
    : null

  const inboundLog: InboundLogDeps = {
    db: database.db,
    clock: provisioning.clock,
    logger: logger.child({ component: 'inbound-log' }),
    contentPolicy: env.WEBHOOK_LOG_KEEP_CALL_CONTENT ? 'content' : 'default',
    reprocessors: {
      vapi: (message) => handleVapiMessage({ provisioning, callEvents }, { ...message, isReplay: true }),
    },
  }
  const inboundLogPruner = runsWorker
    ? startInboundLogPruner(inboundLog, { retentionMs: env.WEBHOOK_LOG_RETENTION_DAYS * 24 * 60 * 60 * 1_000 })
    : null

  const areaCodes = loadAreaCodeDirectory()
  const app = createApp({
    provisioning,
    outboundWebhooks,
    onWebhookDeliveriesRequeued: () => webhookWorker?.wake(),
    auth,
    areaCodes,
    logger,
    isSandbox: config.isSandbox,
    version: options.version ?? version,
    trustedOrigins: urls.trustedOrigins,
    webhook: { authMode: env.VAPI_WEBHOOK_AUTH, secret: config.webhookSecret },
    notifications: {
      mailDelivery: notifications.transport.kind,
      unsubscribeSecret: notifications.unsubscribeSecret,
      publicUrl: urls.publicUrl,
    },
    webDistDir: options.webDistDir === undefined ? defaultWebDistDir : options.webDistDir,
    onPhoneNumberCreated: () => {
      metrics.recordCreated()
      worker?.wake()
    },
    onWebhookDelivery: metrics.recordWebhook,
    metricsRegistry: metrics.registry,
    sockets: realtime.revocation,
    ...(env.METRICS_TOKEN ? { metricsToken: env.METRICS_TOKEN } : {}),
    rateLimitStore,
    authRateLimits: (options.isAuthRateLimitEnabled ?? env.NODE_ENV !== 'test') ? defaultAuthRateLimits : null,
    proxyTrust: proxyTrustFrom({
      hops: env.TRUSTED_PROXY_HOPS,
      proxies: env.TRUSTED_PROXIES,
      header: env.CLIENT_ADDRESS_HEADER,
    }),
    publicUrl: urls.publicUrl,
    apiKeyRateLimit: { ...defaultApiKeyRateLimit, max: env.API_KEY_REQUESTS_PER_MINUTE },
    ...(options.createRateLimits ? { createRateLimits: options.createRateLimits } : {}),
    ...(options.onAuditEvent ? { onAuditEvent: options.onAuditEvent } : {}),
    connections: { ...connections, listAssistants: createAssistantLister(vapiAccounts) },
    callEvents,
    inboundLog,
    carriers: {
      ...carrierPurchases,
      telnyxPublicKey: carrierUrls.telnyxPublicKey,
      connections: {
        db: database.db,
        box: credentialBox,
        carrierAccounts,
        logger: logger.child({ component: 'connections' }),
        now: () => provisioning.clock.now(),
      },
    },
  })
  // Before the app takes requests, so /readyz never answers while the printed demo accounts do not exist yet.
  const createsDemoAccounts = config.isSandbox && config.isEmbeddedDatabase && env.DEMO_ACCOUNTS
  if (createsDemoAccounts) await ensureDemoAccounts(auth, database.db)
  const listener = getRequestListener(app.fetch)
  handle = (req, res) => void listener(req, res)

  let stopped: Promise<void> | null = null
  /**
   * Stops taking requests and lets in-flight ones finish (or drops them: tests), finishes the poll round, then
   * closes Socket.IO, the adapter, the sandbox and the database.
   */
  const stop = (stopOptions: { dropConnections?: boolean } = {}) => {
    stopped ??= (async () => {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()))
      if (stopOptions.dropConnections) httpServer.closeAllConnections()
      else httpServer.closeIdleConnections()
      await worker?.stop()
      await webhookWorker?.stop()
      await callEventWorker?.stop()
      await notificationWorker?.stop()
      await heartbeat.stop()
      await inboundLogPruner?.stop()
      if (notifications.transport.kind === 'smtp') notifications.transport.close()
      await realtime.io.close()
      await adapter?.close()
      await rateLimitStore.close()
      await closed.catch(() => {})
      await sandbox?.close()
      await twilioSandbox?.close()
      await telnyxSandbox?.close()
      await database.close()
    })()
    return stopped
  }

  return {
    config,
    /** Where this process listens (127.0.0.1 when bound to every interface); null for ROLE=worker. */
    url: runsWeb ? url : null,
    port,
    publicUrl: urls.publicUrl,
    runsWeb,
    vapiBaseUrl,
    createsDemoAccounts,
    logger,
    database,
    db: database.db,
    sandbox,
    /** Where this process reaches Twilio and Telnyx, and the key Telnyx webhooks are verified with (null: none). */
    twilioBaseUrl,
    telnyxBaseUrl,
    telnyxPublicKey,
    carrierSandboxes: twilioSandbox || telnyxSandbox ? { twilio: twilioSandbox, telnyx: telnyxSandbox } : null,
    vapi,
    vapiLimiter,
    vapiAccounts,
    credentialBox,
    carrierAccounts,
    carrierPurchases,
    auth,
    app,
    areaCodes,
    provisioning,
    outboundWebhooks,
    realtime,
    metrics,
    worker,
    webhookWorker,
    callEvents,
    get callEventWorker() {
      return callEventWorker
    },
    notifications,
    inboundLog,
    httpServer,
    stop,
  }
}
