import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { Connection } from '@dialtone/shared/connections'
import { assistantQueryKeys } from '../assistants/assistant-query-keys.ts'
import { connectVapiAccount, disconnectVapiAccount } from './vapi-connection-api.ts'
import { vapiConnectionQueryKeys } from './vapi-connection-query-keys.ts'

/** The answer is the connection now; another account also means other assistants, so the pickers ask again. */
function useConnectionChange<Variables>(change: (variables: Variables) => Promise<Connection>) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: change,
    onSuccess: async (connection) => {
      queryClient.setQueryData(vapiConnectionQueryKeys.current(), connection)
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: vapiConnectionQueryKeys.all }),
        queryClient.invalidateQueries({ queryKey: assistantQueryKeys.all }),
      ])
    },
  })
}

export function useConnectVapiAccount() {
  return useConnectionChange((apiKey: string) => connectVapiAccount(apiKey))
}

export function useDisconnectVapiAccount() {
  return useConnectionChange(() => disconnectVapiAccount())
}
