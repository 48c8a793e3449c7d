import { createMiddleware } from 'hono/factory'
import type { ApiKeyScope } from '../auth/permissions.ts'
import { AppError } from '../lib/app-error.ts'
import type { ViewerVariables } from './require-viewer.ts'

/**
 * Where a program (an API key) may go under /api, and the scope each needs: reads and writes. Everything else
 * (accounts, the organisation, notification preferences, the mailbox, key management, platform administration)
 * is for people only. One table, so docs/security.md and the OpenAPI description can say exactly what a key
 * reaches; requirePermission on the routes themselves still applies on top.
 */
export const programRoutes: readonly { prefix: string; read: ApiKeyScope; write: ApiKeyScope }[] = [
  { prefix: '/api/phone-numbers', read: 'numbers:read', write: 'numbers:write' },
  { prefix: '/api/area-codes', read: 'numbers:read', write: 'numbers:write' },
  { prefix: '/api/assistants', read: 'numbers:read', write: 'numbers:write' },
  { prefix: '/api/connections', read: 'settings:write', write: 'settings:write' },
  { prefix: '/api/webhook-endpoints', read: 'settings:write', write: 'settings:write' },
  { prefix: '/api/webhook-deliveries', read: 'settings:write', write: 'settings:write' },
  { prefix: '/api/webhook-log', read: 'numbers:read', write: 'settings:write' },
  { prefix: '/api/call-events', read: 'settings:write', write: 'settings:write' },
  { prefix: '/api/available-numbers', read: 'numbers:read', write: 'numbers:write' },
  { prefix: '/api/carrier-numbers', read: 'numbers:read', write: 'numbers:write' },
]

/** Checking numbers (one or all pending) changes nothing a person owns: a read-only key may ask for it. */
const checksOnly = [/^\/api\/phone-numbers\/refresh$/, /^\/api\/phone-numbers\/[^/]+\/refresh$/]

const readMethods = new Set(['GET', 'HEAD'])

/** The scope a key needs for a request, or null when keys may not make it at all. */
export function programScopeFor(method: string, path: string): ApiKeyScope | null {
  const route = programRoutes.find((entry) => path === entry.prefix || path.startsWith(`${entry.prefix}/`))
  if (!route) return null
  const upper = method.toUpperCase()
  const isRead = readMethods.has(upper) || (upper === 'POST' && checksOnly.some((pattern) => pattern.test(path)))
  return isRead ? route.read : route.write
}

export function limitProgramAccess() {
  return createMiddleware<{ Variables: ViewerVariables }>(async (c, next) => {
    const { actor, permissions } = c.get('viewer')
    if (actor.type !== 'api-key') return next()
    const path = c.req.path
    const required = programScopeFor(c.req.method, path)
    if (!required) {
      throw new AppError('FORBIDDEN', `API keys cannot use ${c.req.method} ${path}; it is for people signed in.`, {
        reason: 'not-for-api-keys',
      })
    }
    if (!permissions.has(required)) {
      throw new AppError('FORBIDDEN', `This API key lacks the ${required} scope.`, { required })
    }
    await next()
  })
}
