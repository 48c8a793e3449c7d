/**
 * What an actor may do inside its organisation. A person's permissions come from their role in the organisation
 * (Better Auth's `member.role`); a program's from its API key's scopes. Routes ask for a permission, never a role,
 * so a person and a program are checked the same way (`requirePermission` in http/require-viewer.ts).
 */
export const apiKeyScopes = ['numbers:read', 'numbers:write', 'settings:write'] as const
export type ApiKeyScope = (typeof apiKeyScopes)[number]

/**
 * The scopes a key can hold, plus what only people do: managing members and the organisation, and managing the
 * organisation's API keys (owners and admins; never a key, so a leaked key cannot mint itself successors).
 */
export type Permission = ApiKeyScope | 'members:manage' | 'api-keys:manage'

export const organizationRoles = ['owner', 'admin', 'member'] as const
export type OrganizationRole = (typeof organizationRoles)[number]

const rolePermissions: Record<OrganizationRole, readonly Permission[]> = {
  // Members watch and check numbers.
  member: ['numbers:read'],
  // Admins also buy, release and assign.
  admin: ['numbers:read', 'numbers:write', 'api-keys:manage'],
  // Owners also manage connections, keys, members and settings.
  owner: ['numbers:read', 'numbers:write', 'settings:write', 'members:manage', 'api-keys:manage'],
}

/** An unknown role (a row written by hand, a role this version does not know) gets the least: a member's. */
export function roleOf(value: string | null | undefined): OrganizationRole {
  return (organizationRoles as readonly string[]).includes(value ?? '') ? (value as OrganizationRole) : 'member'
}

export function permissionsOfRole(role: OrganizationRole): ReadonlySet<Permission> {
  return new Set(rolePermissions[role])
}

/** Who did something, as the audit log and the admin pages name them. */
export type Actor = { type: 'user'; id: string; label: string } | { type: 'api-key'; id: string; label: string }
