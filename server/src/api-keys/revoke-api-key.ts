import type { ApiKey } from '@dialtone/shared/api-keys'
import type { Viewer } from '../auth/viewer.ts'
import { AppError } from '../lib/app-error.ts'
import { isUuid } from '../lib/is-uuid.ts'
import type { ApiKeyDeps } from './api-key-deps.ts'
import { toApiKey } from './api-key-mapper.ts'
import { findApiKeyOfOrganization, revokeApiKey } from './api-key-repository.ts'

/**
 * Revokes a key of the viewer's organisation. Every request checks the database, so the next request with it is
 * refused; `endSockets` closes the sockets that authenticated with it. Revoking twice answers the revoked key.
 */
export async function revokeApiKeyOfOrganization(
  deps: ApiKeyDeps & { endSockets: (apiKeyId: string) => void },
  input: { viewer: Viewer; id: string },
): Promise<ApiKey> {
  const { viewer } = input
  if (!isUuid(input.id)) throw new AppError('NOT_FOUND', 'No such API key.')
  const now = deps.clock.now()
  const revokedId = await revokeApiKey(deps.db, viewer.organizationId, input.id, now)
  const row = await findApiKeyOfOrganization(deps.db, viewer.organizationId, input.id)
  if (!row) throw new AppError('NOT_FOUND', 'No such API key.')
  if (revokedId) {
    deps.endSockets(revokedId)
    await deps.onAuditEvent?.({
      action: 'api-key.revoke',
      organizationId: viewer.organizationId,
      actor: viewer.actor,
      target: { type: 'api-key', id: row.id, label: row.name },
      at: now,
    })
  }
  return toApiKey(row, now)
}
