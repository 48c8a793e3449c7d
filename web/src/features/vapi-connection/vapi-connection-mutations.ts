import { useMutation, useQueryClient } from '@tanstack/react-query'
import { assistantQueryKeys } from '../assistants/assistant-query-keys.ts'
import { connectVapiAccount, disconnectVapiAccount } from './vapi-connection-api.ts'
import { vapiConnectionQueryKeys } from './vapi-connection-query-keys.ts'

/** Another account means other assistants: the pickers ask again. */
function useAfterConnectionChange() {
  const queryClient = useQueryClient()
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: vapiConnectionQueryKeys.all }),
      queryClient.invalidateQueries({ queryKey: assistantQueryKeys.all }),
    ])
}

export function useConnectVapiAccount() {
  const queryClient = useQueryClient()
  const afterChange = useAfterConnectionChange()
  return useMutation({
    mutationFn: connectVapiAccount,
    onSuccess: async (connection) => {
      queryClient.setQueryData(vapiConnectionQueryKeys.current(), connection)
      await afterChange()
    },
  })
}

export function useDisconnectVapiAccount() {
  const queryClient = useQueryClient()
  const afterChange = useAfterConnectionChange()
  return useMutation({
    mutationFn: disconnectVapiAccount,
    onSuccess: async (connection) => {
      queryClient.setQueryData(vapiConnectionQueryKeys.current(), connection)
      await afterChange()
    },
  })
}
