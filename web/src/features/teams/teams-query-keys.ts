/** Every query about the team hangs under `all`; switching organisation invalidates everything instead. */
export const teamsQueryKeys = {
  all: ['teams'] as const,
  members: () => [...teamsQueryKeys.all, 'members'] as const,
  organizations: () => [...teamsQueryKeys.all, 'organizations'] as const,
  invitation: (id: string) => [...teamsQueryKeys.all, 'invitation', id] as const,
}
