import { z } from 'zod/mini'
import {
  acceptInvitationResponseSchema,
  invitationPreviewSchema,
  invitationSchema,
  membersResponseSchema,
  organizationsResponseSchema,
  organizationRoleSchema,
  type CreateInvitationRequest,
  type OrganizationRole,
} from '@dialtone/shared/teams'
import { requestJson } from '../../lib/request-json.ts'

export function fetchMembers() {
  return requestJson('/api/members', membersResponseSchema)
}

export function createInvitation(request: CreateInvitationRequest) {
  return requestJson('/api/invitations', invitationSchema, { method: 'POST', body: request })
}

export function revokeInvitation(id: string) {
  return requestJson(`/api/invitations/${encodeURIComponent(id)}`, z.null(), { method: 'DELETE' })
}

export function changeMemberRole(memberId: string, role: OrganizationRole) {
  return requestJson(
    `/api/members/${encodeURIComponent(memberId)}`,
    z.object({ id: z.string(), role: organizationRoleSchema }),
    { method: 'PATCH', body: { role } },
  )
}

export function removeMember(memberId: string) {
  return requestJson(`/api/members/${encodeURIComponent(memberId)}`, z.null(), { method: 'DELETE' })
}

export function fetchOrganizations() {
  return requestJson('/api/organizations', organizationsResponseSchema)
}

/** Better Auth's set-active (offered on purpose): the session acts for that organisation from now on. */
export function switchOrganization(organizationId: string) {
  return requestJson('/api/auth/organization/set-active', z.unknown(), { method: 'POST', body: { organizationId } })
}

export function fetchInvitation(id: string) {
  return requestJson(`/api/invitations/${encodeURIComponent(id)}`, invitationPreviewSchema)
}

export function acceptInvitation(id: string) {
  return requestJson(`/api/invitations/${encodeURIComponent(id)}/accept`, acceptInvitationResponseSchema, {
    method: 'POST',
    body: {},
  })
}
