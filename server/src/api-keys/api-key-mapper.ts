import { apiKeyScopeSchema, type ApiKey } from '@dialtone/shared/api-keys'
import { z } from 'zod'
import type { ListedApiKeyRow } from './api-key-repository.ts'

const storedScopesSchema = z.array(z.catch(apiKeyScopeSchema, 'numbers:read'))

export function toApiKey(row: ListedApiKeyRow, now: Date): ApiKey {
  const expiresAt = row.expires_at ? new Date(row.expires_at) : null
  return {
    id: row.id,
    name: row.name,
    scopes: [...new Set(storedScopesSchema.parse(row.scopes))],
    prefix: row.key_prefix,
    lastFour: row.last_four,
    createdBy: { id: row.created_by_user_id, name: row.created_by_name, email: row.created_by_email },
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: expiresAt?.toISOString() ?? null,
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
    revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
    isRevoked: row.revoked_at !== null,
    isExpired: expiresAt !== null && expiresAt <= now,
  }
}
