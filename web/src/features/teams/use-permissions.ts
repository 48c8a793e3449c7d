import { useQuery } from '@tanstack/react-query'
import type { Permission } from '@dialtone/shared/teams'
import { fetchMembers } from './teams-api.ts'
import { teamsQueryKeys } from './teams-query-keys.ts'

/** `isWatching`: the team page, which looks again on opening and every 15 s (invitations get accepted elsewhere). */
export function useMembers(options: { isWatching?: boolean } = {}) {
  return useQuery({
    queryKey: teamsQueryKeys.members(),
    queryFn: fetchMembers,
    staleTime: 30_000,
    ...(options.isWatching ? { refetchOnMount: 'always' as const, refetchInterval: 15_000 } : {}),
  })
}

/**
 * What the viewer may do in the organisation they act for, from /api/members. While it loads, nothing is
 * allowed (controls show disabled rather than flash on and off); the server refuses anyway.
 */
export function usePermissions() {
  const members = useMembers()
  const permissions = new Set<Permission>(members.data?.you.permissions ?? [])
  return {
    isLoaded: members.data !== undefined,
    role: members.data?.you.role ?? null,
    can: (permission: Permission) => permissions.has(permission),
  }
}

/** The sentence a disabled control shows, naming who may do it. */
export const reasonWithout: Record<Permission, string> = {
  'numbers:read': 'You cannot see this organisation’s numbers.',
  'numbers:write': 'Only admins and owners buy and release numbers. Ask an owner to make you an admin.',
  'settings:write': 'Only owners change connections, webhooks and organisation settings.',
  'members:manage': 'Only owners invite people, change roles and remove members.',
  'api-keys:manage': 'Only admins and owners make and revoke API keys.',
}
