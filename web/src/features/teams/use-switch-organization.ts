import { useMutation, useQueryClient } from '@tanstack/react-query'
import { toast } from '../../lib/toast.tsx'
import { authQueryKeys } from '../auth/auth-query-keys.ts'
import { switchOrganization } from './teams-api.ts'

/**
 * Acts for another organisation: the session's sockets are ended by the server and reconnect into the new
 * organisation's room; every cached answer but the session belonged to the old one, so it is dropped.
 */
export function useSwitchOrganization() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ organizationId }: { organizationId: string; name?: string }) => switchOrganization(organizationId),
    onSuccess: async (_result, { name }) => {
      // The session itself stays (the same person, signed in): resetting it would unmount the whole app.
      await queryClient.resetQueries({ predicate: (query) => query.queryKey[0] !== authQueryKeys.all[0] })
      if (name) toast.success(`You now act for ${name}.`)
    },
    onError: (error) => toast.error(error.message),
  })
}
