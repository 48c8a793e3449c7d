import { z } from 'zod/mini'
import { mailDeliverySchema } from './notifications.ts'

export const organizationRoleSchema = z.enum(['owner', 'admin', 'member'])
export type OrganizationRole = z.infer<typeof organizationRoleSchema>

/** What the viewer may do in the organisation they act for (the server's permission names). */
export const permissionSchema = z.enum([
  'numbers:read',
  'numbers:write',
  'settings:write',
  'members:manage',
  'api-keys:manage',
])
export type Permission = z.infer<typeof permissionSchema>

export const memberSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: organizationRoleSchema,
  joinedAt: z.string(),
  isYou: z.boolean(),
})
export type Member = z.infer<typeof memberSchema>

export const invitationStatusSchema = z.enum(['pending', 'accepted', 'revoked', 'expired'])

export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: organizationRoleSchema,
  status: invitationStatusSchema,
  expiresAt: z.string(),
  createdAt: z.string(),
  invitedBy: z.string(),
  /** The link the invited person opens (copyable; the same one the mail carries). */
  acceptUrl: z.string(),
})
export type Invitation = z.infer<typeof invitationSchema>

export const membersResponseSchema = z.object({
  organization: z.object({ id: z.string(), name: z.string() }),
  you: z.object({ role: organizationRoleSchema, permissions: z.array(permissionSchema) }),
  items: z.array(memberSchema),
  invitations: z.array(invitationSchema),
})
export type MembersResponse = z.infer<typeof membersResponseSchema>

const invitedRoleSchema = z.enum(['admin', 'member'], { error: 'role: choose admin or member.' })

export const createInvitationRequestSchema = z.object({
  email: z.pipe(
    z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254, 'An email is at most 254 characters.')),
    z.email('Not an email.'),
  ),
  role: z._default(invitedRoleSchema, 'member'),
})
export type CreateInvitationRequest = z.input<typeof createInvitationRequestSchema>

export const updateMemberRequestSchema = z.object({ role: organizationRoleSchema })

/** The answer to a role change: the member and the role they now have. */
export const updateMemberResponseSchema = z.object({ id: z.string(), role: organizationRoleSchema })
export type UpdateMemberResponse = z.infer<typeof updateMemberResponseSchema>

/** The answer to an invitation: the invitation, and how its mail goes out (`off`: copy `acceptUrl` yourself). */
export const createdInvitationSchema = z.extend(invitationSchema, { mailDelivery: mailDeliverySchema })
export type CreatedInvitation = z.infer<typeof createdInvitationSchema>

/** What the accept page shows before the person accepts (no secret, no other member's data). */
export const invitationPreviewSchema = z.object({
  id: z.string(),
  organizationName: z.string(),
  email: z.string(),
  role: organizationRoleSchema,
  status: invitationStatusSchema,
  expiresAt: z.string(),
  invitedBy: z.string(),
})
export type InvitationPreview = z.infer<typeof invitationPreviewSchema>

export const acceptInvitationResponseSchema = z.object({
  organization: z.object({ id: z.string(), name: z.string() }),
  role: organizationRoleSchema,
})
export type AcceptInvitationResponse = z.infer<typeof acceptInvitationResponseSchema>

/** The organisations the viewer belongs to, for the header's switcher. */
export const organizationsResponseSchema = z.object({
  activeOrganizationId: z.string(),
  items: z.array(z.object({ id: z.string(), name: z.string(), role: organizationRoleSchema })),
})
export type OrganizationsResponse = z.infer<typeof organizationsResponseSchema>
