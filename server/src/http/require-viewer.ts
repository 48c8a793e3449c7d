import { createMiddleware } from 'hono/factory'
import type { Kysely } from 'kysely'
import type { Auth } from '../auth/create-auth.ts'
import { resolveViewer, type Viewer } from '../auth/viewer.ts'
import type { Permission } from '../auth/permissions.ts'
import type { Database } from '../db/schema.ts'
import type { ApiKeyDeps } from '../api-keys/api-key-deps.ts'
import { apiKeyRefused, authenticateApiKey, bearerTokenOf } from '../api-keys/authenticate-api-key.ts'
import { AppError } from '../lib/app-error.ts'

/** What a route behind requireViewer finds in its context: c.get('viewer'). */
export type ViewerVariables = { viewer: Viewer }

/**
 * The session's viewer, or with `apiKeys` an API key's: a request with `Authorization: Bearer` is the key's alone
 * (a cookie beside it is ignored, never a fallback), and a refused key is 401 API_KEY_INVALID at once.
 */
export function requireViewer(auth: Auth, db: Kysely<Database>, apiKeys?: ApiKeyDeps) {
  return createMiddleware<{ Variables: ViewerVariables }>(async (c, next) => {
    const bearer = apiKeys ? bearerTokenOf(c.req.header('authorization')) : null
    if (apiKeys && bearer !== null) {
      const result = await authenticateApiKey(apiKeys, bearer)
      if (!result.ok) throw apiKeyRefused(result.reason)
      c.set('viewer', result.found.viewer)
      return next()
    }
    const viewer = await resolveViewer(auth, db, c.req.raw.headers)
    if (!viewer) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.')
    c.set('viewer', viewer)
    await next()
  })
}

/**
 * Refuses (403 FORBIDDEN, naming what is missing) a viewer without the permission: a member buying, a read-only
 * key releasing. Runs after requireViewer.
 */
export function requirePermission(permission: Permission) {
  return createMiddleware<{ Variables: ViewerVariables }>(async (c, next) => {
    if (!c.get('viewer').permissions.has(permission)) {
      throw new AppError('FORBIDDEN', `This needs the ${permission} permission, which you do not have here.`, {
        required: permission,
      })
    }
    await next()
  })
}

export function requirePlatformAdmin() {
  return createMiddleware<{ Variables: ViewerVariables }>(async (c, next) => {
    if (!c.get('viewer').isPlatformAdmin) throw new AppError('FORBIDDEN', 'Only platform admins can see this.')
    await next()
  })
}
