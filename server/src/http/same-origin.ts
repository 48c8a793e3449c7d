import { createMiddleware } from 'hono/factory'
import { isAllowedOrigin } from '../lib/allowed-origins.ts'
import { AppError } from '../lib/app-error.ts'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Cross-site request forgery guard for cookie-authenticated mutations. Browsers send Origin (and Sec-Fetch-Site)
 * on every cross-origin POST/DELETE; a mutation from a page that is not ours is refused before it runs.
 * Requests without either header come from scripts and curl, which hold no victim's cookie to abuse.
 * Only the configured origins count (see allowedOriginsFrom): never one built from the request's own Host header.
 */
export function requireSameOrigin(trustedOrigins: readonly string[]) {
  return createMiddleware(async (c, next) => {
    if (!safeMethods.has(c.req.method)) {
      const fetchSite = c.req.header('sec-fetch-site')
      if (!isAllowedOrigin(trustedOrigins, c.req.header('origin')) || fetchSite === 'cross-site') {
        throw new AppError('FORBIDDEN', 'This request came from another site and was refused.')
      }
    }
    await next()
  })
}
