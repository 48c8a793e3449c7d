import { z } from 'zod/mini'

/** What a key may do; the server's permission model (auth/permissions.ts) uses the same names. */
export const apiKeyScopes = ['numbers:read', 'numbers:write', 'settings:write'] as const
export const apiKeyScopeSchema = z.enum(apiKeyScopes)
export type ApiKeyScopeName = z.infer<typeof apiKeyScopeSchema>

/** What each scope allows, in words the key page and the reference show. */
export const apiKeyScopeDescriptions: Record<ApiKeyScopeName, string> = {
  'numbers:read': 'List and look at phone numbers, search area codes, ask dialtone to check pending numbers.',
  'numbers:write': 'Buy and release phone numbers (costs money at Vapi).',
  'settings:write': 'Manage webhook endpoints: add, remove, rotate secrets, resend deliveries.',
}

export const createApiKeyRequestSchema = z.object({
  name: z
    .string()
    .check(z.trim(), z.minLength(1, 'Give the key a name.'), z.maxLength(60, 'A name is at most 60 characters.')),
  scopes: z.pipe(
    z.array(apiKeyScopeSchema).check(z.minLength(1, 'Choose at least one scope.')),
    z.transform((scopes) => [...new Set(scopes)]),
  ),
  /** Left out or null: the key does not expire. Must be in the future. */
  expiresAt: z.optional(
    z.nullable(
      z.iso.datetime({ offset: true, error: 'expiresAt: expected an ISO 8601 time, like 2027-01-31T00:00:00Z.' }),
    ),
  ),
})
export type CreateApiKeyRequest = z.input<typeof createApiKeyRequestSchema>

export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  scopes: z.array(apiKeyScopeSchema),
  /** The key's start (`dt_live_` or `dt_test_` and four more characters): enough to recognise it, never to use it. */
  prefix: z.string(),
  lastFour: z.string(),
  createdBy: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  createdAt: z.string(),
  expiresAt: z.nullable(z.string()),
  /** Updated at most once a minute. */
  lastUsedAt: z.nullable(z.string()),
  revokedAt: z.nullable(z.string()),
  isRevoked: z.boolean(),
  isExpired: z.boolean(),
})
export type ApiKey = z.infer<typeof apiKeySchema>

/** The only answer that carries the key itself: the create. */
export const apiKeyWithSecretSchema = z.extend(apiKeySchema, {
  key: z.string().check(z.regex(/^dt_(live|test)_[A-Za-z0-9_-]{43}$/)),
})
export type ApiKeyWithSecret = z.infer<typeof apiKeyWithSecretSchema>

export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) })
export type ApiKeyList = z.infer<typeof apiKeyListSchema>
