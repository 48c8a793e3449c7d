import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { CarrierName } from '@dialtone/shared/carriers'
import type { Connection } from '@dialtone/shared/connections'
import { carrierQueryKeys } from './carrier-query-keys.ts'

/** The answer is the connection now; another account also means other numbers and other search results. */
export function useCarrierConnectionChange<Variables>(
  carrier: CarrierName,
  change: (variables: Variables) => Promise<Connection>,
) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: change,
    onSuccess: async (connection) => {
      queryClient.setQueryData(carrierQueryKeys.connection(carrier), connection)
      await queryClient.invalidateQueries({ queryKey: carrierQueryKeys.all })
    },
  })
}
