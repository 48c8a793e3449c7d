import { secureHeaders } from 'hono/secure-headers'

/** The headers every answer carries: a strict CSP (the web app loads nothing from elsewhere), no framing. */
export function securityHeaders() {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", 'ws:', 'wss:'],
      frameAncestors: ["'none'"],
    },
    crossOriginEmbedderPolicy: false,
  })
}
