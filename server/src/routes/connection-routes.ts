import { putVapiConnectionRequestSchema } from '@dialtone/shared/connections'
import { Hono } from 'hono'
import { connectVapiAccount, disconnectVapiAccount, type ConnectionDeps } from '../connections/connect-vapi-account.ts'
import { recordAuditEvent } from '../audit/audit-repository.ts'
import { auditActorOf } from '../http/audit-context.ts'
import { requirePermission, type ViewerVariables } from '../http/require-viewer.ts'
import { validate } from '../http/validate.ts'

/** /api/connections/vapi: the organisation's own Vapi account. Reading it is for every member; changing it needs settings:write. */
export function connectionRoutes(deps: ConnectionDeps) {
  return new Hono<{ Variables: ViewerVariables }>()
    .get('/vapi', async (c) => c.json(await deps.accounts.describe(c.get('viewer').organizationId)))
    .put('/vapi', requirePermission('settings:write'), validate('json', putVapiConnectionRequestSchema), async (c) => {
      const viewer = c.get('viewer')
      const connection = await connectVapiAccount(deps, {
        organizationId: viewer.organizationId,
        apiKey: c.req.valid('json').apiKey,
        userId: viewer.userId,
      })
      // The key itself never reaches the audit log: only its last four characters, as the page shows it.
      await recordAuditEvent(deps.db, {
        organizationId: viewer.organizationId,
        actor: auditActorOf(c),
        action: 'connection.update',
        target: { type: 'connection', id: 'vapi', label: 'Vapi account' },
        details: { source: connection.source, keyHint: connection.keyHint },
      })
      return c.json(connection)
    })
    .delete('/vapi', requirePermission('settings:write'), async (c) => {
      const organizationId = c.get('viewer').organizationId
      const result = await disconnectVapiAccount(deps, { organizationId })
      await recordAuditEvent(deps.db, {
        organizationId,
        actor: auditActorOf(c),
        action: 'connection.delete',
        target: { type: 'connection', id: 'vapi', label: 'Vapi account' },
      })
      return c.json(result)
    })
}
