import { putVapiConnectionRequestSchema } from '@dialtone/shared/connections'
import { Hono } from 'hono'
import { connectVapiAccount, disconnectVapiAccount, type ConnectionDeps } from '../connections/connect-vapi-account.ts'
import { requirePermission, type ViewerVariables } from '../http/require-viewer.ts'
import { validate } from '../http/validate.ts'

/** /api/connections/vapi: the organisation's own Vapi account. Reading it is for every member; changing it needs settings:write. */
export function connectionRoutes(deps: ConnectionDeps) {
  return new Hono<{ Variables: ViewerVariables }>()
    .get('/vapi', async (c) => c.json(await deps.accounts.describe(c.get('viewer').organizationId)))
    .put('/vapi', requirePermission('settings:write'), validate('json', putVapiConnectionRequestSchema), async (c) => {
      const viewer = c.get('viewer')
      return c.json(
        await connectVapiAccount(deps, {
          organizationId: viewer.organizationId,
          apiKey: c.req.valid('json').apiKey,
          userId: viewer.userId,
        }),
      )
    })
    .delete('/vapi', requirePermission('settings:write'), async (c) =>
      c.json(await disconnectVapiAccount(deps, { organizationId: c.get('viewer').organizationId })),
    )
}
