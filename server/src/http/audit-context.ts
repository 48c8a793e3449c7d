import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { auditActorFromViewer, type AuditActor } from '../audit/audit-actor.ts'
import type { ViewerVariables } from './require-viewer.ts'

const addressOfRequest = new WeakMap<Request, string | null>()

/**
 * Remembers each request's client address (as the trusted-proxy setting decides it), so a route can name its
 * actor for the audit log with `auditActorOf(c)` without carrying the proxy settings itself.
 */
export function rememberClientAddress(clientAddressOf: (c: Context) => string | undefined) {
  return createMiddleware(async (c, next) => {
    addressOfRequest.set(c.req.raw, clientAddressOf(c) ?? null)
    await next()
  })
}

/** Who is doing this request, for recordAuditEvent: the viewer's actor and the client address. */
export function auditActorOf(c: Context<{ Variables: ViewerVariables }>): AuditActor {
  return auditActorFromViewer(c.get('viewer'), addressOfRequest.get(c.req.raw) ?? null)
}
