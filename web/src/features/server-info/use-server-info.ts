import { useQuery } from '@tanstack/react-query'
import { serverInfoSchema } from '@dialtone/shared/server-info'
import { requestJson } from '../../lib/request-json.ts'
import { serverInfoQueryKeys } from './server-info-query-keys.ts'

export function useServerInfo() {
  return useQuery({
    queryKey: serverInfoQueryKeys.all,
    queryFn: () => requestJson('/api/server-info', serverInfoSchema),
    // The mode changes only when the server restarts; a reconnect invalidates it (use-phone-number-events.ts).
    staleTime: Infinity,
  })
}
