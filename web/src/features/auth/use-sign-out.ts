import { useMutation, useQueryClient } from '@tanstack/react-query'
import { navigate, routes } from '../../lib/router.ts'
import { getSocket } from '../../realtime/socket.ts'
import { signOut } from './auth-api.ts'
import { authQueryKeys } from './auth-query-keys.ts'

export function useSignOut() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: signOut,
    onSuccess: () => {
      getSocket().disconnect()
      // Nothing of the previous account may stay in memory for the next person at this screen.
      queryClient.clear()
      queryClient.setQueryData(authQueryKeys.session(), null)
      navigate(routes.signIn, { replace: true })
    },
  })
}
