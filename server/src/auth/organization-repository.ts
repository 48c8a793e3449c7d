import { randomUUID } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'
import {
  recordAccountAudit,
  serverCommandActor,
  setPlatformAdmin,
  type AccountActor,
} from './account-admin-repository.ts'
import { organizationNameFor } from './name-rules.ts'

async function insertOrganizationForOwner(
  trx: Transaction<Database>,
  owner: { userId: string; ownerName: string },
): Promise<string> {
  const organizationId = randomUUID()
  await trx
    .insertInto('organization')
    .values({
      id: organizationId,
      name: organizationNameFor(owner.ownerName),
      slug: `org-${organizationId}`,
      logo: null,
      metadata: null,
    })
    .execute()
  await trx
    .insertInto('member')
    .values({ id: randomUUID(), organizationId, userId: owner.userId, role: 'owner' })
    .execute()
  return organizationId
}

export async function createOrganizationForOwner(
  db: Kysely<Database>,
  owner: { userId: string; ownerName: string },
): Promise<string> {
  return db.transaction().execute((trx) => insertOrganizationForOwner(trx, owner))
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

export interface Membership {
  organizationId: string
  role: string
}

/** The user's membership in that organisation (with Better Auth's `member.role`), or null. */
export async function findMembership(
  db: Kysely<Database>,
  userId: string,
  organizationId: string,
): Promise<Membership | null> {
  const row = await db
    .selectFrom('member')
    .select(['organizationId', 'role'])
    .where('userId', '=', userId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst()
  return row ?? null
}

/** The organisation a user joined first, for a session with no active organisation (or one they left). */
export async function findFirstMembershipOfUser(db: Kysely<Database>, userId: string): Promise<Membership | null> {
  const row = await db
    .selectFrom('member')
    .select(['organizationId', 'role'])
    .where('userId', '=', userId)
    .orderBy('createdAt')
    .limit(1)
    .executeTakeFirst()
  return row ?? null
}

/** `pnpm admin:grant` and the demo admin: recorded as done by a command on the server. False: no such user. */
export async function grantPlatformAdmin(db: Kysely<Database>, email: string): Promise<boolean> {
  const user = await db
    .selectFrom('user')
    .select('id')
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst()
  if (!user) return false
  await setPlatformAdmin(db, { userId: user.id, isPlatformAdmin: true, actor: serverCommandActor })
  return true
}

export type OrganizationDeletion =
  | { kind: 'deleted'; organization: { id: string; name: string; deletedAt: string }; formerMemberIds: string[] }
  | { kind: 'not-found' }
  | { kind: 'not-owner' }
  | { kind: 'holds-numbers'; pending: number; active: number; purchasesUnderWay: number }

/**
 * Deletes an organisation its owner asks to delete, unless it still holds numbers at Vapi (pending or active) or a
 * purchase is under way: those are released first, through the numbers' own route, so nothing stays billed
 * unseen. The row is marked, never removed, so its numbers and attempts stay in the statistics; its members and
 * invitations go, and every former member left without an organisation gets a new, empty one of their own.
 */
export async function deleteOrganization(
  db: Kysely<Database>,
  input: { organizationId: string; actor: AccountActor & { userId: string } },
): Promise<OrganizationDeletion> {
  return db.transaction().execute(async (trx): Promise<OrganizationDeletion> => {
    // Purchases insert their attempt under a key-share lock on this row, so they wait for (or block) this check.
    const organization = await trx
      .selectFrom('organization')
      .select(['id', 'name'])
      .where('id', '=', input.organizationId)
      .where('deletedAt', 'is', null)
      .forUpdate()
      .executeTakeFirst()
    if (!organization) return { kind: 'not-found' }
    const membership = await trx
      .selectFrom('member')
      .select('role')
      .where('organizationId', '=', organization.id)
      .where('userId', '=', input.actor.userId)
      .executeTakeFirst()
    if (!membership) return { kind: 'not-found' }
    if (membership.role !== 'owner') return { kind: 'not-owner' }

    const held = await trx
      .selectFrom('phone_number')
      .select([
        (eb) => eb.fn.countAll<string>().filterWhere('status', '=', 'pending').as('pending'),
        (eb) => eb.fn.countAll<string>().filterWhere('status', '=', 'active').as('active'),
      ])
      .where('organization_id', '=', organization.id)
      .executeTakeFirstOrThrow()
    const underWay = await trx
      .selectFrom('provisioning_attempt')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('organization_id', '=', organization.id)
      .where('outcome', '=', 'in_flight')
      .executeTakeFirstOrThrow()
    const counts = { pending: Number(held.pending), active: Number(held.active), purchasesUnderWay: Number(underWay.n) }
    if (counts.pending + counts.active + counts.purchasesUnderWay > 0) return { kind: 'holds-numbers', ...counts }

    const members = await trx
      .deleteFrom('member')
      .where('organizationId', '=', organization.id)
      .returning('userId')
      .execute()
    // Better Auth's invitations (its routes are refused, but the table is there): none may be accepted later.
    await sql`delete from invitation where "organizationId" = ${organization.id}`.execute(trx)
    await trx.deleteFrom('idempotency_key').where('organization_id', '=', organization.id).execute()
    await trx
      .updateTable('session')
      .set({ activeOrganizationId: null })
      .where('activeOrganizationId', '=', organization.id)
      .execute()
    const deletedAt = new Date()
    await trx.updateTable('organization').set({ deletedAt }).where('id', '=', organization.id).execute()

    const formerMemberIds = members.map((member) => member.userId)
    for (const userId of formerMemberIds) {
      const remaining = await trx.selectFrom('member').select('id').where('userId', '=', userId).executeTakeFirst()
      if (remaining) continue
      const user = await trx.selectFrom('user').select('name').where('id', '=', userId).executeTakeFirstOrThrow()
      await insertOrganizationForOwner(trx, { userId, ownerName: user.name })
    }
    await recordAccountAudit(trx, {
      action: 'delete-organization',
      actor: input.actor,
      target: { organizationId: organization.id },
      details: { name: organization.name, formerMembers: formerMemberIds.length },
    })
    return {
      kind: 'deleted',
      organization: { ...organization, deletedAt: deletedAt.toISOString() },
      formerMemberIds,
    }
  })
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
