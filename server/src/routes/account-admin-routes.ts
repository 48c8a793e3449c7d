import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import {
  findUsers,
  listAccountAudit,
  setBanned,
  setPlatformAdmin,
  type UserSummary,
} from '../auth/account-admin-repository.ts'
import type { Viewer } from '../auth/viewer.ts'
import type { ViewerVariables } from '../http/require-viewer.ts'
import type { Database } from '../db/schema.ts'
import { AppError } from '../lib/app-error.ts'
import { validate } from '../http/validate.ts'
import type { SocketRevocation } from '../realtime/socket-server.ts'

const userQuerySchema = z.object({ email: z.string().trim().max(320).optional() })
const banSchema = z.object({ reason: z.string().trim().max(500).optional() }).strict()

function refuseOnSelf(viewer: Viewer, userId: string, what: string): void {
  if (viewer.userId === userId) {
    throw new AppError('CONFLICT', `You cannot ${what} yourself: ask another platform admin.`)
  }
}

/**
 * What a platform admin does to accounts, through dialtone's own rules (Better Auth's admin routes are refused):
 * find a user, ban or unban them, grant or revoke platform admin, and read the record of all of it. Every change
 * is written to account_audit_event in the same transaction, and the user's sockets are disconnected after it.
 * Mounted at /api/admin behind requirePlatformAdmin.
 */
export function accountAdminRoutes(deps: { db: Kysely<Database>; sockets: SocketRevocation }) {
  const { db, sockets } = deps
  const answer = (result: { user: UserSummary; isChanged: boolean } | null): UserSummary => {
    if (!result) throw new AppError('NOT_FOUND', 'No such user.')
    if (result.isChanged) sockets.userChanged(result.user.id)
    return result.user
  }
  const actorOf = (viewer: Viewer) => ({ userId: viewer.userId, email: viewer.email })

  return new Hono<{ Variables: ViewerVariables }>()
    .get('/users', validate('query', userQuerySchema), async (c) => {
      const { email } = c.req.valid('query')
      return c.json({ items: await findUsers(db, { ...(email ? { email } : {}), limit: 50 }) })
    })
    .post('/users/:id/ban', validate('json', banSchema), async (c) => {
      const viewer = c.get('viewer')
      refuseOnSelf(viewer, c.req.param('id'), 'ban')
      const reason = c.req.valid('json').reason || null
      return c.json(
        answer(await setBanned(db, { userId: c.req.param('id'), banned: true, reason, actor: actorOf(viewer) })),
      )
    })
    .post('/users/:id/unban', async (c) =>
      c.json(
        answer(
          await setBanned(db, {
            userId: c.req.param('id'),
            banned: false,
            reason: null,
            actor: actorOf(c.get('viewer')),
          }),
        ),
      ),
    )
    .put('/users/:id/platform-admin', async (c) =>
      c.json(
        answer(
          await setPlatformAdmin(db, {
            userId: c.req.param('id'),
            isPlatformAdmin: true,
            actor: actorOf(c.get('viewer')),
          }),
        ),
      ),
    )
    .delete('/users/:id/platform-admin', async (c) => {
      const viewer = c.get('viewer')
      refuseOnSelf(viewer, c.req.param('id'), 'revoke platform admin from')
      return c.json(
        answer(
          await setPlatformAdmin(db, { userId: c.req.param('id'), isPlatformAdmin: false, actor: actorOf(viewer) }),
        ),
      )
    })
    .get('/audit-log', async (c) => {
      c.header('Cache-Control', 'no-store')
      return c.json({ items: await listAccountAudit(db, { limit: 200 }) })
    })
}
