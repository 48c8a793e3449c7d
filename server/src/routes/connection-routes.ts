import {
  carrierNames,
  putTelnyxConnectionRequestSchema,
  putTwilioConnectionRequestSchema,
  type CarrierName,
} from '@dialtone/shared/carriers'
import { putVapiConnectionRequestSchema, type Connection } from '@dialtone/shared/connections'
import { Hono, type Context } from 'hono'
import {
  connectTelnyxAccount,
  connectTwilioAccount,
  disconnectCarrierAccount,
  type CarrierConnectionDeps,
} from '../connections/connect-carrier-account.ts'
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

/**
 * /api/connections/twilio and /api/connections/telnyx: the organisation's carrier accounts, beside its Vapi one.
 * Reading is for every member; changing needs settings:write. The credentials never reach the answer or the audit log.
 */
export function carrierConnectionRoutes(deps: CarrierConnectionDeps) {
  const label = (carrier: CarrierName) => (carrier === 'twilio' ? 'Twilio account' : 'Telnyx account')
  const audit = async (
    c: Context<{ Variables: ViewerVariables }>,
    carrier: CarrierName,
    action: 'connection.update' | 'connection.delete',
    connection: Connection,
  ) =>
    recordAuditEvent(deps.db, {
      organizationId: c.get('viewer').organizationId,
      actor: auditActorOf(c),
      action,
      target: { type: 'connection', id: carrier, label: label(carrier) },
      ...(action === 'connection.update'
        ? { details: { source: connection.source, keyHint: connection.keyHint } }
        : {}),
    })
  const routes = new Hono<{ Variables: ViewerVariables }>()
    .get('/twilio', async (c) => c.json(await deps.carrierAccounts.describe(c.get('viewer').organizationId, 'twilio')))
    .get('/telnyx', async (c) => c.json(await deps.carrierAccounts.describe(c.get('viewer').organizationId, 'telnyx')))
    .put(
      '/twilio',
      requirePermission('settings:write'),
      validate('json', putTwilioConnectionRequestSchema),
      async (c) => {
        const viewer = c.get('viewer')
        const connection = await connectTwilioAccount(deps, {
          organizationId: viewer.organizationId,
          request: c.req.valid('json'),
          userId: viewer.userId,
        })
        await audit(c, 'twilio', 'connection.update', connection)
        return c.json(connection)
      },
    )
    .put(
      '/telnyx',
      requirePermission('settings:write'),
      validate('json', putTelnyxConnectionRequestSchema),
      async (c) => {
        const viewer = c.get('viewer')
        const connection = await connectTelnyxAccount(deps, {
          organizationId: viewer.organizationId,
          request: c.req.valid('json'),
          userId: viewer.userId,
        })
        await audit(c, 'telnyx', 'connection.update', connection)
        return c.json(connection)
      },
    )
  for (const carrier of carrierNames) {
    routes.delete(`/${carrier}`, requirePermission('settings:write'), async (c) => {
      const result = await disconnectCarrierAccount(deps, { organizationId: c.get('viewer').organizationId, carrier })
      await audit(c, carrier, 'connection.delete', result)
      return c.json(result)
    })
  }
  return routes
}
