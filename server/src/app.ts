import { existsSync } from 'node:fs'
import path from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import type { ErrorCode } from '@dialtone/shared/errors'
import type { ServerInfo } from '@dialtone/shared/server-info'
import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono, type Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { bodyLimit } from 'hono/body-limit'
import { secureHeaders } from 'hono/secure-headers'
import type { MailDelivery } from '@dialtone/shared/notifications'
import { adminRoutes } from './admin/admin-routes.ts'
import { alertRoutes } from './alerts/alert-routes.ts'
import type { AreaCodeDirectory } from './area-codes/area-code-directory.ts'
import { areaCodeRoutes } from './area-codes/area-code-routes.ts'
import { clientIpHeader, type Auth } from './auth/create-auth.ts'
import { requirePlatformAdmin, requireViewer, type ViewerVariables } from './auth/viewer.ts'
import { AppError } from './lib/app-error.ts'
import { isDatabaseUnavailable } from './lib/is-database-unavailable.ts'
import type { Logger } from './lib/logger.ts'
import { requireSameOrigin } from './lib/same-origin.ts'
import { notificationRoutes } from './notifications/notification-routes.ts'
import { unsubscribeRoutes } from './notifications/unsubscribe-routes.ts'
import type { ProvisioningDeps } from './provisioning/provisioning-deps.ts'
import { healthRoutes } from './routes/health.ts'
import { phoneNumberRoutes } from './routes/phone-number-routes.ts'
import {
  defaultCreateRateLimit,
  limitPhoneNumberCreates,
  type CreateRateLimit,
} from './security/limit-phone-number-creates.ts'
import { webhookRoutes } from './webhooks/webhook-routes.ts'
import type { WebhookAuthMode } from './webhooks/verify-vapi-webhook.ts'

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
  /** Extra routes mounted before the SPA fallback (e.g. /metrics). */
  extraRoutes?: (app: Hono) => void
  /** Creates per organisation and window; defaultCreateRateLimit unless a test needs more. */
  createRateLimit?: CreateRateLimit
}

/** Every JSON body the API takes is a few hundred bytes; anything near this is not a real request. */
export const maxApiBodyBytes = 64 * 1024

function errorCodeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED'
  if (status === 403) return 'FORBIDDEN'
  if (status === 404) return 'NOT_FOUND'
  if (status === 413) return 'PAYLOAD_TOO_LARGE'
  if (status === 429) return 'RATE_LIMITED'
  if (status >= 400 && status < 500) return 'VALIDATION_FAILED'
  return 'INTERNAL'
}

const statusOf = (code: ErrorCode) => new AppError(code, '').status

/** SQLSTATE class 22: a value the database cannot represent (bad date, out-of-range number, bad uuid text). */
function isDataException(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    /^22[0-9A-Z]{3}$/.test(error.code)
  )
}

function remoteAddressOf(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address
  } catch {
    // app.request() in tests has no socket behind it.
    return undefined
  }
}

export function createApp(deps: AppDeps) {
  const { provisioning, auth, logger } = deps
  const db = provisioning.db
  const app = new Hono()

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        frameAncestors: ["'none'"],
      },
      crossOriginEmbedderPolicy: false,
    }),
  )

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

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: maxApiBodyBytes,
      onError: (c) => {
        // The unread rest of the body must not be taken for the next request on this connection.
        c.header('Connection', 'close')
        return c.json(new AppError('PAYLOAD_TOO_LARGE', 'Request bodies are limited to 64 KiB.').toBody(), 413)
      },
    }),
  )

  // Better Auth's own origin check lets a cross-site sign-out through; ours runs first on every auth mutation.
  app.use('/api/auth/*', requireSameOrigin(deps.trustedOrigins))
  app.on(['GET', 'POST'], '/api/auth/*', (c) => {
    const headers = new Headers(c.req.raw.headers)
    headers.delete(clientIpHeader)
    const address = remoteAddressOf(c)
    if (address) headers.set(clientIpHeader, address)
    return auth.handler(new Request(c.req.raw, { headers }))
  })

  const api = new Hono<{ Variables: ViewerVariables }>()
  api.use(requireSameOrigin(deps.trustedOrigins))
  api.get('/server-info', (c) =>
    c.json({
      isSandbox: deps.isSandbox,
      version: deps.version,
      mailDelivery: deps.notifications.mailDelivery,
    } satisfies ServerInfo),
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

  deps.extraRoutes?.(app)

  app.all('/api/*', () => {
    throw new AppError('NOT_FOUND', 'No such API endpoint.')
  })

  const distDir = deps.webDistDir
  if (distDir && existsSync(path.join(distDir, 'index.html'))) {
    const root = path.relative(process.cwd(), distDir) || '.'
    app.use(
      '/assets/*',
      serveStatic({ root, onFound: (_path, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable') }),
    )
    app.use('*', serveStatic({ root }))
    // Client-side routes (/sign-in, /admin, …) all load the app's shell.
    app.get(
      '*',
      serveStatic({ root, path: 'index.html', onFound: (_path, c) => c.header('Cache-Control', 'no-cache') }),
    )
  }

  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: 'Not found.' } }, 404))

  app.onError((error, c) => {
    if (error instanceof AppError) {
      if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds))
      if (error.status >= 500) logger.warn({ code: error.code, path: c.req.path }, error.message)
      return c.json(error.toBody(), error.status)
    }
    if (error instanceof HTTPException) {
      // Hono's own refusals (a JSON body that does not parse, …) in the API's one error shape.
      const code = errorCodeForStatus(error.status)
      const message = code === 'VALIDATION_FAILED' ? `The request is not valid: ${error.message}` : error.message
      return c.json(new AppError(code, message).toBody(), statusOf(code))
    }
    if (isDataException(error)) {
      // Postgres could not take a value the request carried (a date beyond its calendar, …): validation let
      // through something it should not have. Still the request's fault, so 400; logged so it gets fixed.
      logger.warn({ err: error, path: c.req.path }, 'request value refused by the database')
      return c.json(
        new AppError('VALIDATION_FAILED', 'A value in this request is out of range or malformed.').toBody(),
        400,
      )
    }
    if (isDatabaseUnavailable(error)) {
      logger.error({ err: error, path: c.req.path }, 'database unavailable')
      c.header('Retry-After', '5')
      return c.json(
        {
          error: {
            code: 'DATABASE_UNAVAILABLE',
            message: 'dialtone’s database is unavailable right now. Nothing was changed; try again shortly.',
          },
        },
        503,
      )
    }
    logger.error({ err: error, path: c.req.path }, 'unhandled error')
    return c.json(
      {
        error: {
          code: 'INTERNAL',
          message: 'Something went wrong on dialtone’s side. Nothing was changed; try again.',
        },
      },
      500,
    )
  })

  return app
}
