import { useEffect } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { getSocket } from '../../realtime/socket.ts'
import { fetchOrganizations } from './teams-api.ts'
import { teamsQueryKeys } from './teams-query-keys.ts'
import { useSwitchOrganization } from './use-switch-organization.ts'
import './teams.css'

const roleNames = { owner: 'owner', admin: 'admin', member: 'member' } as const

/** The header's organisation: a name for one, a select for several. */
export function OrganizationSwitcher() {
  const organizations = useQuery({ queryKey: teamsQueryKeys.organizations(), queryFn: fetchOrganizations })
  const switcher = useSwitchOrganization()
  const queryClient = useQueryClient()
  // The server ends a socket when the person's role or organisations change (removed, promoted, switched in
  // another tab): each new connection is a cue to look at the team and the organisations again.
  useEffect(() => {
    const socket = getSocket()
    const lookAgain = () => void queryClient.invalidateQueries({ queryKey: teamsQueryKeys.all })
    socket.on('connect', lookAgain)
    return () => void socket.off('connect', lookAgain)
  }, [queryClient])
  const data = organizations.data
  if (!data) return null
  const active = data.items.find((item) => item.id === data.activeOrganizationId)
  if (data.items.length <= 1) {
    return (
      <span className="organization-name" data-testid="organization-name" title="Your organisation">
        {active?.name}
      </span>
    )
  }
  return (
    <label className="organization-switcher">
      <span className="visually-hidden">Organisation</span>
      <select
        data-testid="organization-switcher"
        value={data.activeOrganizationId}
        disabled={switcher.isPending}
        onChange={(event) => {
          const chosen = data.items.find((item) => item.id === event.target.value)
          if (chosen) switcher.mutate({ organizationId: chosen.id, name: chosen.name })
        }}
      >
        {data.items.map((item) => (
          <option key={item.id} value={item.id}>
            {item.name} ({roleNames[item.role]})
          </option>
        ))}
      </select>
    </label>
  )
}
