import type { MailDelivery } from '@dialtone/shared/notifications'
import { Hono } from 'hono'
import type { Registry } from 'prom-client'
import { withSandboxAreaCodes, type AreaCodeDirectory } from './area-codes/area-code-directory.ts'
import type { Auth } from './auth/create-auth.ts'
import { authProxy } from './http/auth-proxy.ts'
import { limitBodySize } from './http/body-limit.ts'
import { errorHandler, notFoundHandler } from './http/error-handler.ts'
import { requirePermission, requirePlatformAdmin, requireViewer, type ViewerVariables } from './http/require-viewer.ts'
import { requireSameOrigin } from './http/same-origin.ts'
import { securityHeaders } from './http/security-headers.ts'
import { serveWebApp } from './http/static-files.ts'
import { AppError } from './lib/app-error.ts'
import type { Logger } from './lib/logger.ts'
import type { ProvisioningDeps } from './provisioning/provisioning-deps.ts'
import { noSocketRevocation, type SocketRevocation } from './realtime/socket-server.ts'
import { accountAdminRoutes } from './routes/account-admin-routes.ts'
import { adminRoutes } from './routes/admin-routes.ts'
import { alertRoutes } from './routes/alert-routes.ts'
import { areaCodeRoutes } from './routes/area-code-routes.ts'
import { healthRoutes } from './routes/health-routes.ts'
import { metricsRoutes } from './routes/metrics-routes.ts'
import { organizationRoutes } from './routes/organization-routes.ts'
import type { OutboundWebhookDeps } from './outbound-webhooks/outbound-webhook-deps.ts'
import { notificationRoutes } from './routes/notification-routes.ts'
import { phoneNumberRoutes } from './routes/phone-number-routes.ts'
import { webhookDeliveryRoutes, webhookEndpointRoutes } from './routes/webhook-endpoint-routes.ts'
import { serverInfoRoutes } from './routes/server-info-routes.ts'
import { unsubscribeRoutes } from './routes/unsubscribe-routes.ts'
import { webhookRoutes } from './routes/webhook-routes.ts'
import { memberRoutes } from './routes/member-routes.ts'
import { adminOrganizationAuditRoutes, auditLogRoutes } from './routes/audit-log-routes.ts'
import { rememberClientAddress } from './http/audit-context.ts'
import {
  defaultCreateRateLimits,
  limitPhoneNumberCreates,
  type CreateRateLimits,
} from './security/limit-phone-number-creates.ts'
import { clientAddressReader, httpsReader } from './http/client-address-reader.ts'
import { noProxyTrust, type ProxyTrust } from './security/client-address.ts'
import { limitAuthRequests, type AuthRateLimits } from './security/limit-auth-requests.ts'
import { checkAllRateLimit, limitRequests } from './security/rate-limit-middleware.ts'
import { createPostgresRateLimitStore, type RateLimitStore } from './security/rate-limit-store.ts'
import type { WebhookAuthMode } from './vapi/verify-vapi-webhook.ts'
import type { ApiKeyAuditEvent, ApiKeyDeps } from './api-keys/api-key-deps.ts'
import { apiKeyRoutes } from './routes/api-key-routes.ts'
import { limitProgramAccess } from './http/program-access.ts'
import { apiKeySocketSession } from './realtime/socket-server.ts'
import type { RateLimitRule } from './security/rate-limit-store.ts'
import { openApiRoutes } from './routes/openapi-routes.ts'
import type { AssistantList } from '@dialtone/shared/assistants'
import type { ConnectionDeps } from './connections/connect-vapi-account.ts'
import { assistantRoutes } from './routes/assistant-routes.ts'
import type { InboundLogDeps } from './inbound-log/inbound-log-deps.ts'
import { webhookLogRoutes } from './routes/webhook-log-routes.ts'
import type { CallEventDeps } from './call-events/call-event-deps.ts'
import { callEventRoutes, testCallRoutes } from './routes/call-event-routes.ts'
import { carrierConnectionRoutes, connectionRoutes } from './routes/connection-routes.ts'
import type { TelnyxWebhookDeps } from './carrier-purchases/ingest-telnyx-webhook.ts'
import type { CarrierConnectionDeps } from './connections/connect-carrier-account.ts'
import { carrierRoutes } from './routes/carrier-routes.ts'
import { telnyxWebhookRoutes } from './routes/telnyx-webhook-routes.ts'

export interface AppDeps {
  provisioning: ProvisioningDeps
  outboundWebhooks: OutboundWebhookDeps
  /** Told when webhook deliveries were queued again (a worker in this process sends them at once). */
  onWebhookDeliveriesRequeued?: () => void
  auth: Auth
  areaCodes: AreaCodeDirectory
  logger: Logger
  isSandbox: boolean
  version: string
  trustedOrigins: string[]
  webhook: { authMode: WebhookAuthMode; secret: string }
  /** Email: how it goes out, the unsubscribe links' key, and PUBLIC_URL for the pages that link back. */
  notifications: { mailDelivery: MailDelivery; unsubscribeSecret: string; publicUrl: string }
  /** The built web app (web/dist); null or missing serves the API alone. */
  webDistDir: string | null
  onPhoneNumberCreated?: () => void
  onWebhookDelivery?: (outcome: string, durationMs: number) => void
  /** This process's Prometheus registry, served at /metrics; none serves no /metrics. */
  metricsRegistry?: Registry
  /** Ends the sockets of users whose rights changed (ban, admin, organisation); none without a realtime server. */
  sockets?: SocketRevocation
  /** Bearer token /metrics asks for; unset, /metrics answers 404. */
  metricsToken?: string
  /** Creates per organisation, user and platform; defaultCreateRateLimits unless a test needs more. */
  createRateLimits?: CreateRateLimits
  /** Where request limits are counted; the app's Postgres unless REDIS_URL chose Redis. */
  rateLimitStore?: RateLimitStore
  /** Sign-in, sign-up and other account-library limits; null turns them off (NODE_ENV=test). */
  authRateLimits: AuthRateLimits | null
  /** Organisations' own Vapi accounts and their assistants (decision 0010); absent in a few test apps. */
  connections?: ConnectionDeps & { listAssistants: (organizationId: string) => Promise<AssistantList> }
  /** Which proxies may name the client (TRUSTED_PROXY_HOPS / TRUSTED_PROXIES); none by default. */
  proxyTrust?: ProxyTrust
  /** PUBLIC_URL: https there (or from a trusted proxy) turns HSTS on. */
  publicUrl: string
  /** Requests per API key per window (API_KEY_REQUESTS_PER_MINUTE); defaultApiKeyRateLimit unless set. */
  apiKeyRateLimit?: RateLimitRule
  /** Told when an API key is created or revoked (the organisation's audit log). */
  onAuditEvent?: (event: ApiKeyAuditEvent) => void
  /** The inbound webhook log (every request on /webhooks/*) and its reprocessing; absent in a few test apps. */
  inboundLog?: InboundLogDeps
  /** Call events (issue 17): activity on the numbers, the relay, test calls in sandbox mode; absent in a few test apps. */
  callEvents?: CallEventDeps
  /** Carrier numbers and connections (decision 0014): search, purchase, import, the Telnyx webhook. */
  carriers?: TelnyxWebhookDeps & { connections: CarrierConnectionDeps }
}

/** A program's requests are limited per key: ten a second on average is far beyond what buying numbers needs. */
export const defaultApiKeyRateLimit: RateLimitRule = { name: 'api-key', max: 600, windowMs: 60_000 }

/** Every JSON body the API takes is a few hundred bytes; anything near this is not a real request. */
export const maxApiBodyBytes = 64 * 1024

/** Assembles the HTTP app from the routes in routes/ and the middleware in http/; it holds no handler itself. */
export function createApp(deps: AppDeps) {
  const { provisioning, auth } = deps
  const sockets = deps.sockets ?? noSocketRevocation
  const db = provisioning.db
  const app = new Hono()
  const limits = { store: deps.rateLimitStore ?? createPostgresRateLimitStore(db), clock: provisioning.clock }
  const proxyTrust = deps.proxyTrust ?? noProxyTrust
  const clientAddressOf = clientAddressReader(proxyTrust)

  app.use(securityHeaders({ allowedOrigins: deps.trustedOrigins, isHttps: httpsReader(proxyTrust, deps.publicUrl) }))
  app.route('/', healthRoutes(db))
  app.route(
    '/webhooks',
    webhookRoutes({
      provisioning,
      authMode: deps.webhook.authMode,
      secret: deps.webhook.secret,
      ...(deps.onWebhookDelivery ? { onDelivery: deps.onWebhookDelivery } : {}),
      ...(deps.inboundLog ? { inboundLog: deps.inboundLog } : {}),
      ...(deps.callEvents ? { callEvents: deps.callEvents } : {}),
    }),
  )

  if (deps.carriers) app.route('/webhooks', telnyxWebhookRoutes(deps.carriers, deps.inboundLog))

  app.route(
    '/unsubscribe',
    unsubscribeRoutes({
      db,
      clock: provisioning.clock,
      secret: deps.notifications.unsubscribeSecret,
      publicUrl: deps.notifications.publicUrl,
    }),
  )

  app.use('/api/*', limitBodySize(maxApiBodyBytes, 'Request bodies are limited to 64 KiB.'))
  // Better Auth's own origin check lets a cross-site sign-out through; ours runs first on every auth mutation.
  app.use('/api/auth/*', requireSameOrigin(deps.trustedOrigins))
  if (deps.authRateLimits) {
    app.use('/api/auth/*', limitAuthRequests({ ...limits, limits: deps.authRateLimits, clientAddressOf }))
  }
  app.on(
    ['GET', 'POST'],
    '/api/auth/*',
    authProxy(auth, clientAddressOf, { onOrganizationSwitched: (sessionId) => sockets.sessionEnded(sessionId) }),
  )

  const apiKeys: ApiKeyDeps = {
    db,
    clock: provisioning.clock,
    mode: deps.isSandbox ? 'test' : 'live',
    ...(deps.onAuditEvent ? { onAuditEvent: deps.onAuditEvent } : {}),
  }
  const apiKeyRateLimit = deps.apiKeyRateLimit ?? defaultApiKeyRateLimit
  const api = new Hono<{ Variables: ViewerVariables }>()
  api.use(requireSameOrigin(deps.trustedOrigins, { exemptsBearer: true }))
  api.route('/', openApiRoutes())
  api.route(
    '/',
    serverInfoRoutes({
      isSandbox: deps.isSandbox,
      version: deps.version,
      provisioningDeadlineSeconds: Math.round(provisioning.deadlineMs / 1000),
      mailDelivery: deps.notifications.mailDelivery,
      canPlaceTestCalls: Boolean(deps.callEvents?.sandboxUrl),
      ...(deps.isSandbox && deps.callEvents?.sandboxUrl ? { sandboxUrl: deps.callEvents.sandboxUrl } : {}),
    }),
  )
  api.use(requireViewer(auth, db, apiKeys))
  api.use(rememberClientAddress(clientAddressOf))
  api.use(
    limitRequests<{ Variables: ViewerVariables }>(
      limits,
      apiKeyRateLimit,
      (c) => {
        const { actor } = c.get('viewer')
        return actor.type === 'api-key' ? actor.id : null
      },
      ({ count, windowSeconds, retryAfterSeconds }) =>
        `This API key made ${count} requests in ${windowSeconds} seconds, more than the ${apiKeyRateLimit.max} allowed; try again in ${retryAfterSeconds} s.`,
    ),
  )
  api.use(limitProgramAccess())
  api.route(
    '/api-keys',
    apiKeyRoutes({ apiKeys, endSockets: (apiKeyId) => sockets.sessionEnded(apiKeySocketSession(apiKeyId)) }),
  )
  api.use('/area-codes', requirePermission('numbers:read'))
  api.route('/area-codes', areaCodeRoutes(deps.areaCodes))
  api.post(
    '/phone-numbers',
    // Before the limit: a member's refused purchase must not count against the organisation's purchases.
    requirePermission('numbers:write'),
    limitPhoneNumberCreates({
      db,
      clock: provisioning.clock,
      limits: deps.createRateLimits ?? defaultCreateRateLimits,
    }),
  )
  api.post(
    '/phone-numbers/import',
    requirePermission('numbers:write'),
    limitPhoneNumberCreates({
      db,
      clock: provisioning.clock,
      limits: deps.createRateLimits ?? defaultCreateRateLimits,
    }),
  )
  api.post(
    '/phone-numbers/refresh',
    requirePermission('numbers:read'),
    limitRequests<{ Variables: ViewerVariables }>(
      limits,
      checkAllRateLimit,
      (c) => c.get('viewer').organizationId,
      ({ count, windowSeconds, retryAfterSeconds }) =>
        `Your organisation checked all pending numbers ${count} times in ${windowSeconds} seconds, the most allowed. dialtone keeps checking on its own; try again in ${retryAfterSeconds} s.`,
    ),
  )
  api.route(
    '/phone-numbers',
    phoneNumberRoutes({
      provisioning,
      areaCodes: deps.isSandbox ? withSandboxAreaCodes(deps.areaCodes) : deps.areaCodes,
      ...(deps.onPhoneNumberCreated ? { onCreated: deps.onPhoneNumberCreated } : {}),
      ...(deps.carriers ? { carriers: deps.carriers } : {}),
    }),
  )
  if (deps.carriers) {
    api.route(
      '/',
      carrierRoutes({
        ...deps.carriers,
        ...(deps.onPhoneNumberCreated ? { onCreated: deps.onPhoneNumberCreated } : {}),
      }),
    )
    api.route('/connections', carrierConnectionRoutes(deps.carriers.connections))
  }
  api.route('/organization', organizationRoutes({ db, sockets }))
  if (deps.connections) {
    api.route('/connections', connectionRoutes(deps.connections))
    api.route('/assistants', assistantRoutes(deps.connections))
  }
  const outboundWebhookRoutes = {
    outboundWebhooks: deps.outboundWebhooks,
    ...(deps.onWebhookDeliveriesRequeued ? { onRequeued: deps.onWebhookDeliveriesRequeued } : {}),
  }
  api.route('/webhook-endpoints', webhookEndpointRoutes(outboundWebhookRoutes))
  api.route('/webhook-deliveries', webhookDeliveryRoutes(outboundWebhookRoutes))
  api.route('/', notificationRoutes({ db, clock: provisioning.clock, mailDelivery: deps.notifications.mailDelivery }))
  const teams = memberRoutes({
    db,
    clock: provisioning.clock,
    sockets,
    publicUrl: deps.notifications.publicUrl,
    mailDelivery: deps.notifications.mailDelivery,
  })
  api.route('/members', teams.members)
  api.route('/invitations', teams.invitations)
  api.route('/organizations', teams.organizations)
  if (deps.callEvents) {
    api.route('/call-events', callEventRoutes(deps.callEvents))
    api.route('/phone-numbers', testCallRoutes(deps.callEvents))
  }
  api.use('/audit-log', requirePermission('settings:write'))
  api.route('/audit-log', auditLogRoutes({ db }))
  if (deps.inboundLog) api.route('/webhook-log', webhookLogRoutes(deps.inboundLog))
  const admin = new Hono<{ Variables: ViewerVariables }>()
  admin.use(requirePlatformAdmin())
  admin.route('/', adminRoutes({ db, clock: provisioning.clock }))
  admin.route('/', accountAdminRoutes({ db, sockets }))
  admin.route('/', alertRoutes({ db, clock: provisioning.clock }))
  admin.route('/', adminOrganizationAuditRoutes({ db }))
  api.route('/admin', admin)
  app.route('/api', api)

  if (deps.metricsRegistry) app.route('/', metricsRoutes(deps.metricsRegistry, deps.metricsToken))

  app.all('/api/*', () => {
    throw new AppError('NOT_FOUND', 'No such API endpoint.')
  })
  serveWebApp(app, deps.webDistDir)
  app.notFound(notFoundHandler)
  app.onError(errorHandler(deps.logger))
  return app
}
