import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

export interface NewApiKey {
  organizationId: string
  createdByUserId: string
  name: string
  scopes: string[]
  keyHash: string
  keyPrefix: string
  lastFour: string
  expiresAt: Date | null
}

const listedColumns = [
  'api_key.id',
  'api_key.name',
  'api_key.scopes',
  'api_key.key_prefix',
  'api_key.last_four',
  'api_key.created_at',
  'api_key.expires_at',
  'api_key.last_used_at',
  'api_key.revoked_at',
  'api_key.created_by_user_id',
  'user.name as created_by_name',
  'user.email as created_by_email',
] as const

export async function insertApiKey(db: Kysely<Database>, key: NewApiKey) {
  const inserted = await db
    .insertInto('api_key')
    .values({
      organization_id: key.organizationId,
      created_by_user_id: key.createdByUserId,
      name: key.name,
      scopes: JSON.stringify(key.scopes),
      key_hash: key.keyHash,
      key_prefix: key.keyPrefix,
      last_four: key.lastFour,
      expires_at: key.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const row = await findApiKeyOfOrganization(db, key.organizationId, inserted.id)
  if (!row) throw new Error('the key just inserted is missing')
  return row
}

export async function findApiKeyOfOrganization(db: Kysely<Database>, organizationId: string, id: string) {
  return (
    (await db
      .selectFrom('api_key')
      .innerJoin('user', 'user.id', 'api_key.created_by_user_id')
      .select(listedColumns)
      .where('api_key.organization_id', '=', organizationId)
      .where('api_key.id', '=', id)
      .executeTakeFirst()) ?? null
  )
}

export type ListedApiKeyRow = NonNullable<Awaited<ReturnType<typeof findApiKeyOfOrganization>>>

/** Newest first; revoked keys stay listed (greyed) so people can see what was turned off and when. */
export async function listApiKeysOfOrganization(db: Kysely<Database>, organizationId: string) {
  return db
    .selectFrom('api_key')
    .innerJoin('user', 'user.id', 'api_key.created_by_user_id')
    .select(listedColumns)
    .where('api_key.organization_id', '=', organizationId)
    .orderBy('api_key.created_at', 'desc')
    .orderBy('api_key.id')
    .execute()
}

/** Revokes once: a second revoke changes nothing and answers null. */
export async function revokeApiKey(db: Kysely<Database>, organizationId: string, id: string, now: Date) {
  const row = await db
    .updateTable('api_key')
    .set({ revoked_at: now })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

/**
 * The key behind a hash, with what decides whether it may act now: its creator's membership and ban, and whether
 * the organisation still exists. One indexed read per request, no cache: a revoke takes effect on the next request.
 */
export async function findApiKeyForAuthentication(db: Kysely<Database>, keyHash: string) {
  return (
    (await db
      .selectFrom('api_key')
      .innerJoin('user', 'user.id', 'api_key.created_by_user_id')
      .innerJoin('organization', 'organization.id', 'api_key.organization_id')
      .leftJoin('member', (join) =>
        join
          .onRef('member.userId', '=', 'api_key.created_by_user_id')
          .onRef('member.organizationId', '=', 'api_key.organization_id'),
      )
      .select([
        'api_key.id',
        'api_key.organization_id',
        'api_key.created_by_user_id',
        'api_key.name',
        'api_key.scopes',
        'api_key.expires_at',
        'api_key.last_used_at',
        'api_key.revoked_at',
        'user.name as user_name',
        'user.email as user_email',
        'user.banned as user_banned',
        'member.role as member_role',
        'organization.deletedAt as organization_deleted_at',
      ])
      .where('api_key.key_hash', '=', keyHash)
      .executeTakeFirst()) ?? null
  )
}

/** At most one write a minute per key, whatever the traffic: the condition skips a recent stamp. */
export async function touchApiKeyLastUsed(db: Kysely<Database>, id: string, now: Date, everyMs: number) {
  await db
    .updateTable('api_key')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`${new Date(now.getTime() - everyMs)}`)]),
    )
    .execute()
}
