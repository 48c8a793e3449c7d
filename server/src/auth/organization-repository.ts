import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

export async function createOrganizationForOwner(
  db: Kysely<Database>,
  owner: { userId: string; ownerName: string },
): Promise<string> {
  const organizationId = randomUUID()
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('organization')
      .values({
        id: organizationId,
        name: `${owner.ownerName}’s organisation`,
        slug: `org-${organizationId}`,
        logo: null,
        metadata: null,
      })
      .execute()
    await trx
      .insertInto('member')
      .values({ id: randomUUID(), organizationId, userId: owner.userId, role: 'owner' })
      .execute()
  })
  return organizationId
}

export async function findFirstOrganizationIdOfUser(db: Kysely<Database>, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('member')
    .select('organizationId')
    .where('userId', '=', userId)
    .orderBy('createdAt')
    .limit(1)
    .executeTakeFirst()
  return row?.organizationId ?? null
}

export async function isMemberOf(db: Kysely<Database>, userId: string, organizationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('member')
    .select('id')
    .where('userId', '=', userId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst()
  return row !== undefined
}

export async function grantPlatformAdmin(db: Kysely<Database>, email: string): Promise<boolean> {
  const result = await db
    .updateTable('user')
    .set({ role: 'admin', updatedAt: new Date() })
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** When the user became owner of each organisation they own, newest first (a handful: owning is limited). */
export async function listOwnershipDatesOfUser(db: Kysely<Database>, userId: string): Promise<Date[]> {
  const rows = await db
    .selectFrom('member')
    .select('createdAt')
    .where('userId', '=', userId)
    .where('role', '=', 'owner')
    .orderBy('createdAt', 'desc')
    .execute()
  return rows.map((row) => new Date(row.createdAt))
}
