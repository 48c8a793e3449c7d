import { permissionsOfRole, roleOf, type Permission } from '../auth/permissions.ts'
import type { Viewer } from '../auth/viewer.ts'
import { apiKeyScopeSchema } from '@dialtone/shared/api-keys'
import { z } from 'zod'
import { AppError } from '../lib/app-error.ts'
import { lastUsedWriteIntervalMs, type ApiKeyDeps } from './api-key-deps.ts'
import { findApiKeyForAuthentication, touchApiKeyLastUsed } from './api-key-repository.ts'
import { hashApiKey, isWellFormedApiKey } from './api-key-secret.ts'

export type ApiKeyRefusal = 'unknown' | 'revoked' | 'expired' | 'creator-inactive'

const messages: Record<ApiKeyRefusal, string> = {
  unknown: 'This API key is not one dialtone knows. Check it was copied whole.',
  revoked: 'This API key was revoked. Make a new one on the API keys page.',
  expired: 'This API key has expired. Make a new one on the API keys page.',
  'creator-inactive':
    'The person who made this API key is no longer in the organisation (or was blocked); the key stopped working with them.',
}

export function apiKeyRefused(reason: ApiKeyRefusal): AppError {
  return new AppError('API_KEY_INVALID', messages[reason], { reason })
}

export interface ApiKeyViewer {
  viewer: Viewer
  apiKeyId: string
  expiresAt: Date | null
}

/**
 * The viewer a key acts as: its organisation, its creator (so "who asked" still names a person), and the key's
 * scopes narrowed by what the creator's role allows today (a demoted admin's key loses numbers:write with them).
 * Read from the database on every call: nothing outlives a revoke.
 */
export async function authenticateApiKey(
  deps: ApiKeyDeps,
  key: string,
): Promise<{ ok: true; found: ApiKeyViewer } | { ok: false; reason: ApiKeyRefusal }> {
  if (!isWellFormedApiKey(key)) return { ok: false, reason: 'unknown' }
  const row = await findApiKeyForAuthentication(deps.db, hashApiKey(key))
  if (!row) return { ok: false, reason: 'unknown' }
  if (row.revoked_at) return { ok: false, reason: 'revoked' }
  const now = deps.clock.now()
  const expiresAt = row.expires_at ? new Date(row.expires_at) : null
  if (expiresAt && expiresAt <= now) return { ok: false, reason: 'expired' }
  if (row.member_role === null || row.user_banned === true || row.organization_deleted_at !== null) {
    return { ok: false, reason: 'creator-inactive' }
  }
  const role = roleOf(row.member_role)
  const rolePermissions = permissionsOfRole(role)
  const scopes = z.catch(z.array(apiKeyScopeSchema), []).parse(row.scopes)
  const permissions = new Set<Permission>(scopes.filter((scope) => rolePermissions.has(scope)))
  const lastUsed = row.last_used_at ? new Date(row.last_used_at).getTime() : null
  if (lastUsed === null || now.getTime() - lastUsed >= lastUsedWriteIntervalMs) {
    await touchApiKeyLastUsed(deps.db, row.id, now, lastUsedWriteIntervalMs)
  }
  return {
    ok: true,
    found: {
      apiKeyId: row.id,
      expiresAt,
      viewer: {
        userId: row.created_by_user_id,
        email: row.user_email,
        name: row.user_name,
        organizationId: row.organization_id,
        // A program never acts as a platform admin, whoever made its key.
        isPlatformAdmin: false,
        role,
        permissions,
        actor: { type: 'api-key', id: row.id, label: row.name },
      },
    },
  }
}

/** `Authorization: Bearer <key>`'s key, or null when the header is absent or another scheme. */
export function bearerTokenOf(authorization: string | undefined | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  return match?.[1] ?? null
}
