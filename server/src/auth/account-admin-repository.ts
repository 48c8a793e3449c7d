import type { Kysely, Transaction, Updateable } from 'kysely'
import type { AccountAuditAction, Database, UserTable } from '../db/schema.ts'

/** Who did it: a signed-in platform admin or owner, or a command run on the server (`pnpm admin:grant`). */
export interface AccountActor {
  userId: string | null
  email: string | null
}

export const serverCommandActor: AccountActor = { userId: null, email: null }

export interface UserSummary {
  id: string
  email: string
  name: string
  isPlatformAdmin: boolean
  banned: boolean
  banReason: string | null
  createdAt: string
}

export interface AccountAuditEvent {
  id: string
  at: string
  action: AccountAuditAction
  actor: AccountActor
  targetUserId: string | null
  targetEmail: string | null
  targetOrganizationId: string | null
  details: Record<string, unknown>
}

type Executor = Kysely<Database> | Transaction<Database>

const userColumns = ['id', 'email', 'name', 'role', 'banned', 'banReason', 'createdAt'] as const

function toUserSummary(row: {
  id: string
  email: string
  name: string
  role: string | null
  banned: boolean | null
  banReason: string | null
  createdAt: Date
}): UserSummary {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    isPlatformAdmin: row.role === 'admin',
    banned: row.banned === true,
    banReason: row.banReason,
    createdAt: row.createdAt.toISOString(),
  }
}

export async function recordAccountAudit(
  db: Executor,
  event: {
    action: AccountAuditAction
    actor: AccountActor
    target: { userId?: string; email?: string; organizationId?: string }
    details?: Record<string, unknown>
  },
): Promise<void> {
  await db
    .insertInto('account_audit_event')
    .values({
      action: event.action,
      actor_user_id: event.actor.userId,
      actor_email: event.actor.email,
      target_user_id: event.target.userId ?? null,
      target_email: event.target.email ?? null,
      target_organization_id: event.target.organizationId ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute()
}

export async function listAccountAudit(db: Kysely<Database>, input: { limit: number }): Promise<AccountAuditEvent[]> {
  const rows = await db.selectFrom('account_audit_event').selectAll().orderBy('id', 'desc').limit(input.limit).execute()
  return rows.map((row) => ({
    id: String(row.id),
    at: row.at.toISOString(),
    action: row.action,
    actor: { userId: row.actor_user_id, email: row.actor_email },
    targetUserId: row.target_user_id,
    targetEmail: row.target_email,
    targetOrganizationId: row.target_organization_id,
    details: row.details,
  }))
}

export async function findUsers(
  db: Kysely<Database>,
  input: { email?: string; limit: number },
): Promise<UserSummary[]> {
  let query = db.selectFrom('user').select(userColumns).orderBy('createdAt', 'desc').limit(input.limit)
  if (input.email) query = query.where('email', '=', input.email.trim().toLowerCase())
  return (await query.execute()).map(toUserSummary)
}

type UserRow = Parameters<typeof toUserSummary>[0]

/**
 * One recorded change to one user, in one transaction: nothing happens (and nothing is recorded) when the user is
 * already as asked. Null when there is no such user.
 */
async function changeUser(
  db: Kysely<Database>,
  input: {
    userId: string
    actor: AccountActor
    isAlreadySo: (user: UserRow) => boolean
    set: Updateable<UserTable>
    action: AccountAuditAction
    details?: Record<string, unknown>
    alsoDo?: (trx: Transaction<Database>) => Promise<unknown>
  },
): Promise<{ user: UserSummary; isChanged: boolean } | null> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('user')
      .select(userColumns)
      .where('id', '=', input.userId)
      .forUpdate()
      .executeTakeFirst()
    if (!before) return null
    if (input.isAlreadySo(before)) return { user: toUserSummary(before), isChanged: false }
    const after = await trx
      .updateTable('user')
      .set({ ...input.set, updatedAt: new Date() })
      .where('id', '=', input.userId)
      .returning(userColumns)
      .executeTakeFirstOrThrow()
    await input.alsoDo?.(trx)
    await recordAccountAudit(trx, {
      action: input.action,
      actor: input.actor,
      target: { userId: after.id, email: after.email },
      ...(input.details ? { details: input.details } : {}),
    })
    return { user: toUserSummary(after), isChanged: true }
  })
}

/** Makes a user a platform admin or an owner like any other. The caller disconnects their sockets after this. */
export function setPlatformAdmin(
  db: Kysely<Database>,
  input: { userId: string; isPlatformAdmin: boolean; actor: AccountActor },
) {
  return changeUser(db, {
    userId: input.userId,
    actor: input.actor,
    isAlreadySo: (user) => (user.role === 'admin') === input.isPlatformAdmin,
    set: { role: input.isPlatformAdmin ? 'admin' : 'user' },
    action: input.isPlatformAdmin ? 'grant-platform-admin' : 'revoke-platform-admin',
  })
}

/**
 * Bans a user (every session of theirs ends here, and Better Auth's admin plugin refuses them a new one) or lifts
 * the ban. The caller disconnects their sockets after this.
 */
export function setBanned(
  db: Kysely<Database>,
  input: { userId: string; banned: boolean; reason: string | null; actor: AccountActor },
) {
  return changeUser(db, {
    userId: input.userId,
    actor: input.actor,
    isAlreadySo: (user) => (user.banned === true) === input.banned,
    set: { banned: input.banned, banReason: input.banned ? input.reason : null, banExpires: null },
    action: input.banned ? 'ban-user' : 'unban-user',
    ...(input.banned && input.reason ? { details: { reason: input.reason } } : {}),
    ...(input.banned
      ? { alsoDo: (trx) => trx.deleteFrom('session').where('userId', '=', input.userId).execute() }
      : {}),
  })
}
