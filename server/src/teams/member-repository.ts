import { randomBytes, randomUUID } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'
import { roleOf, type OrganizationRole } from '../auth/permissions.ts'

type Executor = Kysely<Database> | Transaction<Database>

export interface MemberRow {
  id: string
  userId: string
  name: string
  email: string
  role: OrganizationRole
  createdAt: Date
}

export async function listMembers(db: Executor, organizationId: string): Promise<MemberRow[]> {
  const rows = await db
    .selectFrom('member')
    .innerJoin('user', 'user.id', 'member.userId')
    .select(['member.id', 'member.userId', 'user.name', 'user.email', 'member.role', 'member.createdAt'])
    .where('member.organizationId', '=', organizationId)
    .orderBy('member.createdAt')
    .execute()
  return rows.map((row) => ({ ...row, role: roleOf(row.role), createdAt: new Date(row.createdAt) }))
}

export async function findOrganizationName(db: Executor, organizationId: string): Promise<string | null> {
  const row = await db
    .selectFrom('organization')
    .select('name')
    .where('id', '=', organizationId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst()
  return row?.name ?? null
}

/** The organisations a user belongs to (not deleted), oldest membership first: the header's switcher. */
export async function listOrganizationsOfUser(
  db: Executor,
  userId: string,
): Promise<{ id: string; name: string; role: OrganizationRole }[]> {
  const rows = await db
    .selectFrom('member')
    .innerJoin('organization', 'organization.id', 'member.organizationId')
    .select(['organization.id', 'organization.name', 'member.role'])
    .where('member.userId', '=', userId)
    .where('organization.deletedAt', 'is', null)
    .orderBy('member.createdAt')
    .execute()
  return rows.map((row) => ({ ...row, role: roleOf(row.role) }))
}

export type MemberChange =
  | { kind: 'changed'; member: MemberRow; previousRole: OrganizationRole }
  | { kind: 'not-found' }
  | { kind: 'last-owner' }

/**
 * Locks the organisation's row, so two owners demoting or removing each other at once cannot both succeed and
 * leave nobody in charge: the second sees the first's change and is refused.
 */
async function lockOrganizationAndFind(trx: Transaction<Database>, organizationId: string, memberId: string) {
  await trx.selectFrom('organization').select('id').where('id', '=', organizationId).forUpdate().execute()
  const members = await listMembers(trx, organizationId)
  const member = members.find((candidate) => candidate.id === memberId) ?? null
  const owners = members.filter((candidate) => candidate.role === 'owner').length
  return { member, owners }
}

export async function changeMemberRole(
  db: Kysely<Database>,
  input: {
    organizationId: string
    memberId: string
    role: OrganizationRole
    also?: (trx: Transaction<Database>, change: MemberChange) => Promise<void>
  },
): Promise<MemberChange> {
  return db.transaction().execute(async (trx): Promise<MemberChange> => {
    const { member, owners } = await lockOrganizationAndFind(trx, input.organizationId, input.memberId)
    if (!member) return { kind: 'not-found' }
    if (member.role === 'owner' && input.role !== 'owner' && owners <= 1) return { kind: 'last-owner' }
    await trx.updateTable('member').set({ role: input.role }).where('id', '=', member.id).execute()
    const change: MemberChange = { kind: 'changed', member: { ...member, role: input.role }, previousRole: member.role }
    await input.also?.(trx, change)
    return change
  })
}

/**
 * Removes a member; their sessions acting for this organisation forget it (they fall back to another organisation
 * they belong to, or to none), in the same transaction.
 */
export async function removeMember(
  db: Kysely<Database>,
  input: {
    organizationId: string
    memberId: string
    also?: (trx: Transaction<Database>, change: MemberChange) => Promise<void>
  },
): Promise<MemberChange> {
  return db.transaction().execute(async (trx): Promise<MemberChange> => {
    const { member, owners } = await lockOrganizationAndFind(trx, input.organizationId, input.memberId)
    if (!member) return { kind: 'not-found' }
    if (member.role === 'owner' && owners <= 1) return { kind: 'last-owner' }
    await trx.deleteFrom('member').where('id', '=', member.id).execute()
    await trx
      .updateTable('session')
      .set({ activeOrganizationId: null })
      .where('userId', '=', member.userId)
      .where('activeOrganizationId', '=', input.organizationId)
      .execute()
    const change: MemberChange = { kind: 'changed', member, previousRole: member.role }
    await input.also?.(trx, change)
    return change
  })
}

export interface InvitationRow {
  id: string
  organizationId: string
  email: string
  role: OrganizationRole
  status: 'pending' | 'accepted' | 'revoked' | 'expired'
  expiresAt: Date
  createdAt: Date
  invitedBy: string
}

function toInvitationRow(
  row: {
    id: string
    organizationId: string
    email: string
    role: string | null
    status: string
    expiresAt: Date | string
    createdAt: Date | string
    inviterEmail: string
  },
  now: Date,
): InvitationRow {
  const expiresAt = new Date(row.expiresAt)
  const status =
    row.status === 'pending' && expiresAt <= now
      ? 'expired'
      : row.status === 'accepted' || row.status === 'revoked' || row.status === 'pending'
        ? row.status
        : 'revoked'
  return {
    id: row.id,
    organizationId: row.organizationId,
    email: row.email,
    role: roleOf(row.role),
    status,
    expiresAt,
    createdAt: new Date(row.createdAt),
    invitedBy: row.inviterEmail,
  }
}

function invitationQuery(db: Executor) {
  return db
    .selectFrom('invitation')
    .innerJoin('user', 'user.id', 'invitation.inviterId')
    .select([
      'invitation.id',
      'invitation.organizationId',
      'invitation.email',
      'invitation.role',
      'invitation.status',
      'invitation.expiresAt',
      'invitation.createdAt',
      'user.email as inviterEmail',
    ])
}

/** Invitations still waiting for an answer (expired ones too, until someone invites that email again). */
export async function listOpenInvitations(db: Executor, organizationId: string, now: Date): Promise<InvitationRow[]> {
  const rows = await invitationQuery(db)
    .where('invitation.organizationId', '=', organizationId)
    .where('invitation.status', '=', 'pending')
    .orderBy('invitation.createdAt', 'desc')
    .execute()
  return rows.map((row) => toInvitationRow(row, now))
}

export async function findInvitation(db: Executor, id: string, now: Date): Promise<InvitationRow | null> {
  const row = await invitationQuery(db).where('invitation.id', '=', id).executeTakeFirst()
  return row ? toInvitationRow(row, now) : null
}

export async function isMemberByEmail(db: Executor, organizationId: string, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('member')
    .innerJoin('user', 'user.id', 'member.userId')
    .select('member.id')
    .where('member.organizationId', '=', organizationId)
    .where(sql`lower(${sql.ref('user.email')})`, '=', email.toLowerCase())
    .executeTakeFirst()
  return row !== undefined
}

/** The link's secret: 32 random bytes, so an invitation cannot be guessed (it also names only its own email). */
export function newInvitationId(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * A new invitation (an earlier pending one for the same email is revoked: the newest link is the one that works)
 * and its mail, queued in the outbox in the same transaction: the invitation never exists without its mail.
 */
export async function createInvitation(
  db: Kysely<Database>,
  input: {
    organizationId: string
    email: string
    role: OrganizationRole
    inviterId: string
    now: Date
    ttlMs: number
    /** False when this server sends no mail (no SMTP_URL): the inviter passes the link on. */
    shouldQueueMail: boolean
    mail: (invitationId: string) => { payload: Record<string, unknown>; recipientUserId: string | null }
    also?: (trx: Transaction<Database>, invitation: InvitationRow) => Promise<void>
  },
): Promise<InvitationRow> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('invitation')
      .set({ status: 'revoked' })
      .where('organizationId', '=', input.organizationId)
      .where(sql`lower(email)`, '=', input.email.toLowerCase())
      .where('status', '=', 'pending')
      .execute()
    const id = newInvitationId()
    await trx
      .insertInto('invitation')
      .values({
        id,
        organizationId: input.organizationId,
        email: input.email.toLowerCase(),
        role: input.role,
        status: 'pending',
        expiresAt: new Date(input.now.getTime() + input.ttlMs),
        inviterId: input.inviterId,
        createdAt: input.now,
      })
      .execute()
    const mail = input.mail(id)
    if (input.shouldQueueMail)
      await trx
        .insertInto('notification_outbox')
        .values({
          channel: 'email',
          topic: 'invitation',
          recipient: input.email.toLowerCase(),
          user_id: mail.recipientUserId,
          payload: JSON.stringify(mail.payload),
          next_attempt_at: input.now,
          created_at: input.now,
        })
        .execute()
    const invitation = await findInvitation(trx, id, input.now)
    if (!invitation) throw new Error('the invitation just written is missing')
    await input.also?.(trx, invitation)
    return invitation
  })
}

export async function findUserIdByEmail(db: Executor, email: string): Promise<string | null> {
  const row = await db.selectFrom('user').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst()
  return row?.id ?? null
}

export async function revokeInvitation(
  db: Kysely<Database>,
  input: {
    organizationId: string
    invitationId: string
    also?: (trx: Transaction<Database>, invitation: InvitationRow) => Promise<void>
    now: Date
  },
): Promise<InvitationRow | null> {
  return db.transaction().execute(async (trx) => {
    const invitation = await findInvitation(trx, input.invitationId, input.now)
    if (!invitation || invitation.organizationId !== input.organizationId || invitation.status === 'accepted')
      return null
    await trx.updateTable('invitation').set({ status: 'revoked' }).where('id', '=', invitation.id).execute()
    await input.also?.(trx, invitation)
    return { ...invitation, status: 'revoked' }
  })
}

export type InvitationAcceptance =
  | {
      kind: 'accepted'
      invitation: InvitationRow
      role: OrganizationRole
      organizationName: string
      isNewMember: boolean
    }
  | { kind: 'not-found' }
  | { kind: 'expired' }
  | { kind: 'other-email'; invitedEmail: string }

/**
 * The invited person joins: only when signed in as the invited email, while the invitation is pending and not
 * expired. The invitation row is locked, so accepting twice at once makes one member.
 */
export async function acceptInvitation(
  db: Kysely<Database>,
  input: {
    invitationId: string
    userId: string
    email: string
    now: Date
    also?: (trx: Transaction<Database>, acceptance: InvitationAcceptance & { kind: 'accepted' }) => Promise<void>
  },
): Promise<InvitationAcceptance> {
  return db.transaction().execute(async (trx): Promise<InvitationAcceptance> => {
    const locked = await trx
      .selectFrom('invitation')
      .select('id')
      .where('id', '=', input.invitationId)
      .forUpdate()
      .executeTakeFirst()
    if (!locked) return { kind: 'not-found' }
    const invitation = await findInvitation(trx, input.invitationId, input.now)
    const organizationName = invitation ? await findOrganizationName(trx, invitation.organizationId) : null
    if (!invitation || organizationName === null || invitation.status === 'revoked') return { kind: 'not-found' }
    if (invitation.email.toLowerCase() !== input.email.toLowerCase()) {
      return { kind: 'other-email', invitedEmail: invitation.email }
    }
    if (invitation.status === 'expired') return { kind: 'expired' }
    const existing = await trx
      .selectFrom('member')
      .select('role')
      .where('organizationId', '=', invitation.organizationId)
      .where('userId', '=', input.userId)
      .executeTakeFirst()
    if (invitation.status === 'accepted' && !existing) return { kind: 'not-found' }
    if (!existing) {
      await trx
        .insertInto('member')
        .values({
          id: randomUUID(),
          organizationId: invitation.organizationId,
          userId: input.userId,
          role: invitation.role,
          createdAt: input.now,
        })
        .execute()
    }
    await trx.updateTable('invitation').set({ status: 'accepted' }).where('id', '=', invitation.id).execute()
    const acceptance = {
      kind: 'accepted' as const,
      invitation,
      role: existing ? roleOf(existing.role) : invitation.role,
      organizationName,
      isNewMember: !existing,
    }
    if (acceptance.isNewMember) await input.also?.(trx, acceptance)
    return acceptance
  })
}
