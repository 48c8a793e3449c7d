import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { deleteOrganization } from '../auth/organization-repository.ts'
import { recordAuditEvent } from '../audit/audit-repository.ts'
import { auditActorOf } from '../http/audit-context.ts'
import { requirePermission, type ViewerVariables } from '../http/require-viewer.ts'
import type { Database } from '../db/schema.ts'
import { AppError } from '../lib/app-error.ts'
import type { SocketRevocation } from '../realtime/socket-server.ts'

/**
 * The organisation the signed-in user acts for. `DELETE /api/organization` deletes it (its owner only), refused
 * with 409 ORGANIZATION_HAS_NUMBERS while it holds numbers at Vapi: see deleteOrganization for the rules.
 */
export function organizationRoutes(deps: { db: Kysely<Database>; sockets: SocketRevocation }) {
  return new Hono<{ Variables: ViewerVariables }>().delete('/', requirePermission('settings:write'), async (c) => {
    const viewer = c.get('viewer')
    const result = await deleteOrganization(deps.db, {
      organizationId: viewer.organizationId,
      actor: { userId: viewer.userId, email: viewer.email },
    })
    switch (result.kind) {
      case 'not-found':
        throw new AppError('NOT_FOUND', 'No such organisation.')
      case 'not-owner':
        throw new AppError('FORBIDDEN', 'Only the organisation’s owner can delete it.')
      case 'holds-numbers': {
        const { pending, active, purchasesUnderWay } = result
        const held = pending + active
        const message =
          held > 0
            ? `This organisation still holds ${held} number${held === 1 ? '' : 's'} at Vapi (${active} active, ${pending} pending), which stay billed until released. Release them first (DELETE /api/phone-numbers/:id), then delete the organisation.`
            : 'A number is being bought for this organisation right now. Wait for it to finish, release it, then delete the organisation.'
        throw new AppError('ORGANIZATION_HAS_NUMBERS', message, { pending, active, purchasesUnderWay })
      }
      case 'deleted':
        await recordAuditEvent(deps.db, {
          organizationId: result.organization.id,
          actor: auditActorOf(c),
          action: 'organization.delete',
          target: { type: 'organization', id: result.organization.id, label: result.organization.name },
          details: { formerMembers: result.formerMemberIds.length },
        })
        // Their organisation changed under their sockets: they reconnect (if still signed in) to their new one.
        for (const userId of result.formerMemberIds) deps.sockets.userChanged(userId)
        return c.json({ organization: result.organization })
    }
  })
}
