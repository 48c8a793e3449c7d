import { useMutation, useQueryClient } from '@tanstack/react-query'
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  recoverWebhookDeliveries,
  retryWebhookDelivery,
  rotateWebhookEndpointSecret,
} from './webhook-endpoints-api.ts'
import { webhookEndpointQueryKeys } from './webhook-endpoint-query-keys.ts'

/** Every change here touches the list or a log; invalidating the feature's root keeps both honest. */
function useInvalidatingMutation<Variables, Result>(mutationFn: (variables: Variables) => Promise<Result>) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookEndpointQueryKeys.all }),
  })
}

export const useCreateWebhookEndpoint = () => useInvalidatingMutation(createWebhookEndpoint)
export const useDeleteWebhookEndpoint = () => useInvalidatingMutation(deleteWebhookEndpoint)
export const useRotateWebhookEndpointSecret = () => useInvalidatingMutation(rotateWebhookEndpointSecret)
export const useRetryWebhookDelivery = () => useInvalidatingMutation(retryWebhookDelivery)
export const useRecoverWebhookDeliveries = () =>
  useInvalidatingMutation(({ endpointId, since }: { endpointId: string; since: string }) =>
    recoverWebhookDeliveries(endpointId, since),
  )
