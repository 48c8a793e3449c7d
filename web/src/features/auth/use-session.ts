import { useQuery } from '@tanstack/react-query'
import { fetchSession } from './auth-api.ts'
import { authQueryKeys } from './auth-query-keys.ts'

export function useSession() {
  return useQuery({
    queryKey: authQueryKeys.session(),
    queryFn: fetchSession,
    staleTime: 5 * 60_000,
    // A session ends on the server (expiry, sign-out in another tab); looking again on focus notices it.
    refetchOnWindowFocus: true,
  })
}
