import { createApiKeyRequestSchema } from '@dialtone/shared/api-keys'
import { Hono, type Context } from 'hono'
import type { ApiKeyDeps } from '../api-keys/api-key-deps.ts'
import { toApiKey } from '../api-keys/api-key-mapper.ts'
import { listApiKeysOfOrganization } from '../api-keys/api-key-repository.ts'
import { createApiKey } from '../api-keys/create-api-key.ts'
import { revokeApiKeyOfOrganization } from '../api-keys/revoke-api-key.ts'
import { recordAuditEvent } from '../audit/audit-repository.ts'
import { auditActorOf } from '../http/audit-context.ts'
import { requirePermission, type ViewerVariables } from '../http/require-viewer.ts'
import { validate } from '../http/validate.ts'

export interface ApiKeyRouteDeps {
  apiKeys: ApiKeyDeps
  /** Ends the sockets a revoked key opened, on every process. */
  endSockets: (apiKeyId: string) => void
}

/** `/api/api-keys`: the organisation's keys, managed by its owners and admins (never by a key). */
export function apiKeyRoutes(deps: ApiKeyRouteDeps) {
  /** The request's deps: each create and revoke is recorded in the audit log with who did it and from where. */
  const apiKeysFor = (c: Context<{ Variables: ViewerVariables }>): ApiKeyDeps => ({
    ...deps.apiKeys,
    onAuditEvent: async (event) => {
      await deps.apiKeys.onAuditEvent?.(event)
      await recordAuditEvent(deps.apiKeys.db, {
        organizationId: event.organizationId,
        actor: auditActorOf(c),
        action: event.action,
        target: event.target,
      })
    },
  })
  const { apiKeys } = deps
  return new Hono<{ Variables: ViewerVariables }>()
    .use(requirePermission('api-keys:manage'))
    .get('/', async (c) => {
      const rows = await listApiKeysOfOrganization(apiKeys.db, c.get('viewer').organizationId)
      const now = apiKeys.clock.now()
      return c.json({ items: rows.map((row) => toApiKey(row, now)) })
    })
    .post('/', validate('json', createApiKeyRequestSchema), async (c) => {
      const request = c.req.valid('json')
      const created = await createApiKey(apiKeysFor(c), {
        viewer: c.get('viewer'),
        name: request.name,
        scopes: request.scopes,
        expiresAt: request.expiresAt,
      })
      c.header('Cache-Control', 'no-store')
      return c.json(created, 201)
    })
    .delete('/:id', async (c) =>
      c.json(
        await revokeApiKeyOfOrganization(
          { ...apiKeysFor(c), endSockets: deps.endSockets },
          { viewer: c.get('viewer'), id: c.req.param('id') },
        ),
      ),
    )
}
