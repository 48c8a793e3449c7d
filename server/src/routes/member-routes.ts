import {
  createInvitationRequestSchema,
  updateMemberRequestSchema,
  type AcceptInvitationResponse,
  type CreatedInvitation,
  type Invitation,
  type InvitationPreview,
  type MembersResponse,
  type OrganizationsResponse,
  type UpdateMemberResponse,
} from '@dialtone/shared/teams'
import type { MailDelivery } from '@dialtone/shared/notifications'
import type { Context } from 'hono'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { recordAuditEvent } from '../audit/audit-repository.ts'
import type { Database } from '../db/schema.ts'
import { auditActorOf } from '../http/audit-context.ts'
import { requirePermission, type ViewerVariables } from '../http/require-viewer.ts'
import { validate } from '../http/validate.ts'
import { AppError } from '../lib/app-error.ts'
import type { Clock } from '../lib/clock.ts'
import type { SocketRevocation } from '../realtime/socket-server.ts'
import {
  acceptInvitation,
  changeMemberRole,
  createInvitation,
  findInvitation,
  findOrganizationName,
  findUserIdByEmail,
  isMemberByEmail,
  listMembers,
  listOpenInvitations,
  listOrganizationsOfUser,
  removeMember,
  revokeInvitation,
  type InvitationRow,
  type MemberChange,
} from '../teams/member-repository.ts'

/** How long an invitation link works. */
export const invitationTtlMs = 7 * 24 * 60 * 60 * 1_000

export interface MemberRouteDeps {
  db: Kysely<Database>
  clock: Clock
  sockets: SocketRevocation
  publicUrl: string
  mailDelivery: MailDelivery
}

export function invitationUrl(publicUrl: string, invitationId: string): string {
  return `${publicUrl}/invitations/${encodeURIComponent(invitationId)}`
}

function refuseLastOwner(change: MemberChange): asserts change is MemberChange & { kind: 'changed' } {
  if (change.kind === 'not-found') throw new AppError('NOT_FOUND', 'No such member in this organisation.')
  if (change.kind === 'last-owner') {
    throw new AppError(
      'LAST_OWNER',
      'This is the organisation’s last owner. Make another member an owner first; an organisation always keeps one.',
    )
  }
}

/**
 * `/api/members` and `/api/invitations`: dialtone's own routes on Better Auth's member and invitation tables
 * (decision 0012). Owners (members:manage) invite, change roles and remove; anyone may list and leave.
 */
export function memberRoutes(deps: MemberRouteDeps) {
  const { db, clock } = deps
  const toInvitation = (row: InvitationRow): Invitation => ({
    id: row.id,
    email: row.email,
    role: row.role,
    status: row.status,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    invitedBy: row.invitedBy,
    acceptUrl: invitationUrl(deps.publicUrl, row.id),
  })
  const actorOf = auditActorOf

  const members = new Hono<{ Variables: ViewerVariables }>()
    .get('/', async (c) => {
      const viewer = c.get('viewer')
      const canManage = viewer.permissions.has('members:manage')
      const [rows, invitations, name] = await Promise.all([
        listMembers(db, viewer.organizationId),
        canManage ? listOpenInvitations(db, viewer.organizationId, clock.now()) : Promise.resolve([]),
        findOrganizationName(db, viewer.organizationId),
      ])
      c.header('Cache-Control', 'no-store')
      return c.json({
        organization: { id: viewer.organizationId, name: name ?? '' },
        you: { role: viewer.role, permissions: [...viewer.permissions] },
        items: rows.map((row) => ({
          id: row.id,
          userId: row.userId,
          name: row.name,
          email: row.email,
          role: row.role,
          joinedAt: row.createdAt.toISOString(),
          isYou: row.userId === viewer.userId,
        })),
        invitations: invitations.map(toInvitation),
      } satisfies MembersResponse)
    })
    // POST /api/members is the same as POST /api/invitations: a member joins by accepting, never by being added.
    .post('/', requirePermission('members:manage'), validate('json', createInvitationRequestSchema), async (c) =>
      c.json(await invite(c, c.req.valid('json')), 201),
    )
    .patch('/:id', requirePermission('members:manage'), validate('json', updateMemberRequestSchema), async (c) => {
      const viewer = c.get('viewer')
      const role = c.req.valid('json').role
      const change = await changeMemberRole(db, {
        organizationId: viewer.organizationId,
        memberId: c.req.param('id'),
        role,
        also: async (trx, done) => {
          if (done.kind !== 'changed' || done.previousRole === role) return
          await recordAuditEvent(trx, {
            organizationId: viewer.organizationId,
            actor: actorOf(c),
            action: 'member.role-change',
            target: { type: 'member', id: done.member.userId, label: done.member.email },
            details: { from: done.previousRole, to: role },
          })
        },
      })
      refuseLastOwner(change)
      // Their next request reads the new role from the database; their sockets reconnect under it at once.
      if (change.previousRole !== role) deps.sockets.userChanged(change.member.userId)
      return c.json({ id: change.member.id, role: change.member.role } satisfies UpdateMemberResponse)
    })
    .delete('/:id', async (c) => {
      const viewer = c.get('viewer')
      const memberId = c.req.param('id')
      const self = (await listMembers(db, viewer.organizationId)).find((row) => row.userId === viewer.userId)
      const isLeaving = self?.id === memberId
      // Anyone may leave; removing someone else takes members:manage.
      if (!isLeaving && !viewer.permissions.has('members:manage')) {
        throw new AppError('FORBIDDEN', 'This needs the members:manage permission, which you do not have here.', {
          required: 'members:manage',
        })
      }
      const change = await removeMember(db, {
        organizationId: viewer.organizationId,
        memberId,
        also: async (trx, done) => {
          if (done.kind !== 'changed') return
          await recordAuditEvent(trx, {
            organizationId: viewer.organizationId,
            actor: actorOf(c),
            action: isLeaving ? 'member.leave' : 'member.remove',
            target: { type: 'member', id: done.member.userId, label: done.member.email },
            details: { role: done.member.role },
          })
        },
      })
      refuseLastOwner(change)
      // Every socket of theirs ends now (on every process); still signed in, they reconnect to what they still have.
      deps.sockets.userChanged(change.member.userId)
      return c.body(null, 204)
    })

  async function invite(
    c: Context<{ Variables: ViewerVariables }>,
    request: { email: string; role: 'admin' | 'member' },
  ): Promise<CreatedInvitation> {
    const viewer = c.get('viewer')
    if (await isMemberByEmail(db, viewer.organizationId, request.email)) {
      throw new AppError('CONFLICT', `${request.email} is already a member of this organisation.`)
    }
    const organizationName = (await findOrganizationName(db, viewer.organizationId)) ?? 'an organisation'
    const now = clock.now()
    const recipientUserId = await findUserIdByEmail(db, request.email)
    const row = await createInvitation(db, {
      organizationId: viewer.organizationId,
      email: request.email,
      role: request.role,
      inviterId: viewer.userId,
      now,
      ttlMs: invitationTtlMs,
      shouldQueueMail: deps.mailDelivery !== 'off',
      mail: (invitationId) => ({
        recipientUserId,
        payload: {
          organizationName,
          inviterName: viewer.name,
          inviterEmail: viewer.email,
          role: request.role,
          acceptUrl: invitationUrl(deps.publicUrl, invitationId),
          expiresAt: new Date(now.getTime() + invitationTtlMs).toISOString(),
        },
      }),
      also: async (trx, invitation) =>
        recordAuditEvent(trx, {
          organizationId: viewer.organizationId,
          actor: actorOf(c),
          action: 'invitation.create',
          target: { type: 'invitation', id: invitation.id.slice(0, 8), label: invitation.email },
          details: { role: invitation.role, expiresAt: invitation.expiresAt.toISOString() },
        }),
    })
    return { ...toInvitation(row), mailDelivery: deps.mailDelivery }
  }

  const invitations = new Hono<{ Variables: ViewerVariables }>()
    .post('/', requirePermission('members:manage'), validate('json', createInvitationRequestSchema), async (c) =>
      c.json(await invite(c, c.req.valid('json')), 201),
    )
    .get('/:id', async (c) => {
      const invitation = await findInvitation(db, c.req.param('id'), clock.now())
      const organizationName = invitation ? await findOrganizationName(db, invitation.organizationId) : null
      if (!invitation || organizationName === null || invitation.status === 'revoked') {
        throw new AppError('NOT_FOUND', 'No such invitation: it may have been revoked or replaced by a newer one.')
      }
      c.header('Cache-Control', 'no-store')
      return c.json({
        id: invitation.id,
        organizationName,
        email: invitation.email,
        role: invitation.role,
        status: invitation.status,
        expiresAt: invitation.expiresAt.toISOString(),
        invitedBy: invitation.invitedBy,
      } satisfies InvitationPreview)
    })
    .post('/:id/accept', async (c) => {
      const viewer = c.get('viewer')
      const result = await acceptInvitation(db, {
        invitationId: c.req.param('id'),
        userId: viewer.userId,
        email: viewer.email,
        now: clock.now(),
        also: async (trx, accepted) =>
          recordAuditEvent(trx, {
            organizationId: accepted.invitation.organizationId,
            actor: actorOf(c),
            action: 'invitation.accept',
            target: { type: 'member', id: viewer.userId, label: viewer.email },
            details: { role: accepted.role },
          }),
      })
      switch (result.kind) {
        case 'not-found':
          throw new AppError('NOT_FOUND', 'No such invitation: it may have been revoked or replaced by a newer one.')
        case 'expired':
          throw new AppError('INVITATION_EXPIRED', 'This invitation has expired. Ask for a new one.')
        case 'other-email':
          throw new AppError(
            'INVITATION_FOR_ANOTHER_EMAIL',
            `This invitation is for ${result.invitedEmail}. Sign in (or create an account) with that address to accept it.`,
          )
        case 'accepted':
          return c.json({
            organization: { id: result.invitation.organizationId, name: result.organizationName },
            role: result.role,
          } satisfies AcceptInvitationResponse)
      }
    })
    .delete('/:id', requirePermission('members:manage'), async (c) => {
      const viewer = c.get('viewer')
      const revoked = await revokeInvitation(db, {
        organizationId: viewer.organizationId,
        invitationId: c.req.param('id'),
        now: clock.now(),
        also: async (trx, invitation) =>
          recordAuditEvent(trx, {
            organizationId: viewer.organizationId,
            actor: actorOf(c),
            action: 'invitation.revoke',
            target: { type: 'invitation', id: invitation.id.slice(0, 8), label: invitation.email },
          }),
      })
      if (!revoked) throw new AppError('NOT_FOUND', 'No such open invitation.')
      return c.body(null, 204)
    })

  const organizations = new Hono<{ Variables: ViewerVariables }>().get('/', async (c) => {
    const viewer = c.get('viewer')
    c.header('Cache-Control', 'no-store')
    return c.json({
      activeOrganizationId: viewer.organizationId,
      items: await listOrganizationsOfUser(db, viewer.userId),
    } satisfies OrganizationsResponse)
  })

  return { members, invitations, organizations }
}
