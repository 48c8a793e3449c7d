import { useMutation, useQueryClient } from '@tanstack/react-query'
import { toast } from 'sonner'
import { switchOrganization } from './teams-api.ts'

/**
 * Acts for another organisation: the session's sockets are ended by the server and reconnect into the new
 * organisation's room; every cached answer belonged to the old one, so all of it is dropped.
 */
export function useSwitchOrganization() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ organizationId }: { organizationId: string; name?: string }) => switchOrganization(organizationId),
    onSuccess: async (_result, { name }) => {
      await queryClient.resetQueries()
      if (name) toast.success(`You now act for ${name}.`)
    },
    onError: (error) => toast.error(error.message),
  })
}
