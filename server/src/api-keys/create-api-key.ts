import type { ApiKeyWithSecret } from '@dialtone/shared/api-keys'
import type { Viewer } from '../auth/viewer.ts'
import { AppError } from '../lib/app-error.ts'
import type { ApiKeyDeps } from './api-key-deps.ts'
import { toApiKey } from './api-key-mapper.ts'
import { insertApiKey } from './api-key-repository.ts'
import { generateApiKey, hashApiKey, visibleParts } from './api-key-secret.ts'
import type { ApiKeyScope } from '../auth/permissions.ts'

/**
 * Makes a key for the viewer's organisation. Its scopes never exceed what the creator may do (an admin cannot
 * mint a settings:write key); the key itself is in this answer only, and only its hash is kept.
 */
export async function createApiKey(
  deps: ApiKeyDeps,
  input: { viewer: Viewer; name: string; scopes: ApiKeyScope[]; expiresAt: string | null | undefined },
): Promise<ApiKeyWithSecret> {
  const { viewer } = input
  const beyondRole = input.scopes.filter((scope) => !viewer.permissions.has(scope))
  if (beyondRole.length > 0) {
    throw new AppError(
      'FORBIDDEN',
      `Your role (${viewer.role}) cannot give a key ${beyondRole.join(', ')}: a key never does more than its maker.`,
      { scopes: beyondRole },
    )
  }
  const now = deps.clock.now()
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null
  if (expiresAt && expiresAt <= now) throw new AppError('VALIDATION_FAILED', 'expiresAt: must be in the future.')
  const key = generateApiKey(deps.mode)
  const { prefix, lastFour } = visibleParts(key)
  const row = await insertApiKey(deps.db, {
    organizationId: viewer.organizationId,
    createdByUserId: viewer.userId,
    name: input.name,
    scopes: input.scopes,
    keyHash: hashApiKey(key),
    keyPrefix: prefix,
    lastFour,
    expiresAt,
  })
  await deps.onAuditEvent?.({
    action: 'api-key.create',
    organizationId: viewer.organizationId,
    actor: viewer.actor,
    target: { type: 'api-key', id: row.id, label: row.name },
    at: now,
  })
  return { ...toApiKey(row, now), key }
}
