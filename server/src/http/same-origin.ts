import { createMiddleware } from 'hono/factory'
import { AppError } from '../lib/app-error.ts'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Cross-site request forgery guard for cookie-authenticated mutations. Browsers send Origin (and Sec-Fetch-Site)
 * on every cross-origin POST/DELETE; a mutation from a page that is not ours is refused before it runs.
 * Requests without either header come from scripts and curl, which hold no victim's cookie to abuse.
 */
export function requireSameOrigin(trustedOrigins: readonly string[]) {
  const trusted = new Set(trustedOrigins)
  return createMiddleware(async (c, next) => {
    if (!safeMethods.has(c.req.method)) {
      const origin = c.req.header('origin')
      const fetchSite = c.req.header('sec-fetch-site')
      const isTrustedOrigin = origin === undefined || trusted.has(origin) || origin === new URL(c.req.url).origin
      if (!isTrustedOrigin || fetchSite === 'cross-site') {
        throw new AppError('FORBIDDEN', 'This request came from another site and was refused.')
      }
    }
    await next()
  })
}
