import type { MailDelivery } from '@dialtone/shared/notifications'
import { Hono } from 'hono'
import type { Registry } from 'prom-client'
import type { AreaCodeDirectory } from './area-codes/area-code-directory.ts'
import type { Auth } from './auth/create-auth.ts'
import { authProxy } from './http/auth-proxy.ts'
import { limitBodySize } from './http/body-limit.ts'
import { errorHandler, notFoundHandler } from './http/error-handler.ts'
import { requirePlatformAdmin, requireViewer, type ViewerVariables } from './http/require-viewer.ts'
import { requireSameOrigin } from './http/same-origin.ts'
import { securityHeaders } from './http/security-headers.ts'
import { serveWebApp } from './http/static-files.ts'
import { AppError } from './lib/app-error.ts'
import type { Logger } from './lib/logger.ts'
import type { ProvisioningDeps } from './provisioning/provisioning-deps.ts'
import { adminRoutes } from './routes/admin-routes.ts'
import { alertRoutes } from './routes/alert-routes.ts'
import { areaCodeRoutes } from './routes/area-code-routes.ts'
import { healthRoutes } from './routes/health-routes.ts'
import { metricsRoutes } from './routes/metrics-routes.ts'
import { notificationRoutes } from './routes/notification-routes.ts'
import { phoneNumberRoutes } from './routes/phone-number-routes.ts'
import { serverInfoRoutes } from './routes/server-info-routes.ts'
import { unsubscribeRoutes } from './routes/unsubscribe-routes.ts'
import { webhookRoutes } from './routes/webhook-routes.ts'
import {
  defaultCreateRateLimit,
  limitPhoneNumberCreates,
  type CreateRateLimit,
} from './security/limit-phone-number-creates.ts'
import type { WebhookAuthMode } from './vapi/verify-vapi-webhook.ts'

export interface AppDeps {
  provisioning: ProvisioningDeps
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
  /** Creates per organisation and window; defaultCreateRateLimit unless a test needs more. */
  createRateLimit?: CreateRateLimit
}

/** Every JSON body the API takes is a few hundred bytes; anything near this is not a real request. */
export const maxApiBodyBytes = 64 * 1024

/** Assembles the HTTP app from the routes in routes/ and the middleware in http/; it holds no handler itself. */
export function createApp(deps: AppDeps) {
  const { provisioning, auth } = deps
  const db = provisioning.db
  const app = new Hono()

  app.use(securityHeaders())
  app.route('/', healthRoutes(db))
  app.route(
    '/webhooks',
    webhookRoutes({
      provisioning,
      authMode: deps.webhook.authMode,
      secret: deps.webhook.secret,
      ...(deps.onWebhookDelivery ? { onDelivery: deps.onWebhookDelivery } : {}),
    }),
  )

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
  app.on(['GET', 'POST'], '/api/auth/*', authProxy(auth))

  const api = new Hono<{ Variables: ViewerVariables }>()
  api.use(requireSameOrigin(deps.trustedOrigins))
  api.route(
    '/',
    serverInfoRoutes({
      isSandbox: deps.isSandbox,
      version: deps.version,
      mailDelivery: deps.notifications.mailDelivery,
    }),
  )
  api.use(requireViewer(auth, db))
  api.route('/area-codes', areaCodeRoutes(deps.areaCodes))
  api.post(
    '/phone-numbers',
    limitPhoneNumberCreates({ db, clock: provisioning.clock, limit: deps.createRateLimit ?? defaultCreateRateLimit }),
  )
  api.route(
    '/phone-numbers',
    phoneNumberRoutes({
      provisioning,
      areaCodes: deps.areaCodes,
      ...(deps.onPhoneNumberCreated ? { onCreated: deps.onPhoneNumberCreated } : {}),
    }),
  )
  api.route('/', notificationRoutes({ db, clock: provisioning.clock, mailDelivery: deps.notifications.mailDelivery }))
  const admin = new Hono<{ Variables: ViewerVariables }>()
  admin.use(requirePlatformAdmin())
  admin.route('/', adminRoutes({ db, clock: provisioning.clock }))
  admin.route('/', alertRoutes({ db, clock: provisioning.clock }))
  api.route('/admin', admin)
  app.route('/api', api)

  if (deps.metricsRegistry) app.route('/', metricsRoutes(deps.metricsRegistry))

  app.all('/api/*', () => {
    throw new AppError('NOT_FOUND', 'No such API endpoint.')
  })
  serveWebApp(app, deps.webDistDir)
  app.notFound(notFoundHandler)
  app.onError(errorHandler(deps.logger))
  return app
}
