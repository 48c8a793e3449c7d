import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { secureHeaders } from 'hono/secure-headers'

const hstsValue = 'max-age=15552000; includeSubDomains'

/** ws(s):// twins of the app's own origins: the only WebSocket hosts the page may connect to. */
export function websocketOriginsOf(allowedOrigins: readonly string[]): string[] {
  return allowedOrigins.map((origin) => origin.replace(/^http/, 'ws'))
}

/**
 * The headers every answer carries: a strict CSP (the web app loads nothing from elsewhere; connect-src names
 * dialtone's own WebSocket origins, not any ws: or wss: host), no framing, and HSTS only when the client came over
 * https (over http it is ignored by browsers and promises what the deployment may not keep).
 */
export function securityHeaders(input: { allowedOrigins: readonly string[]; isHttps: (c: Context) => boolean }) {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", ...websocketOriginsOf(input.allowedOrigins)],
      frameAncestors: ["'none'"],
    },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: false,
  })
  return createMiddleware(async (c, next) => {
    await headers(c, async () => {
      await next()
      if (input.isHttps(c)) c.header('Strict-Transport-Security', hstsValue)
    })
  })
}
