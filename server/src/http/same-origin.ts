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
export function requireSameOrigin(trustedOrigins: readonly string[], options: { exemptsBearer?: boolean } = {}) {
  return createMiddleware(async (c, next) => {
    // A bearer request is authenticated by its header alone (the cookie is ignored, see requireViewer); a page on
    // another site cannot add that header without a CORS preflight we never allow, so there is nothing to forge.
    const isBearer = options.exemptsBearer === true && /^Bearer\s/i.test(c.req.header('authorization') ?? '')
    if (!safeMethods.has(c.req.method) && !isBearer) {
      const fetchSite = c.req.header('sec-fetch-site')
      if (!isAllowedOrigin(trustedOrigins, c.req.header('origin')) || fetchSite === 'cross-site') {
        throw new AppError('FORBIDDEN', 'This request came from another site and was refused.')
      }
    }
    await next()
  })
}
