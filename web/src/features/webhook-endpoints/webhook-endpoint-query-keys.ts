/** Every query about webhook endpoints hangs under `all`, so one invalidation catches up the whole feature. */
export const webhookEndpointQueryKeys = {
  all: ['webhook-endpoints'] as const,
  list: () => [...webhookEndpointQueryKeys.all, 'list'] as const,
  deliveries: (endpointId: string) => [...webhookEndpointQueryKeys.all, 'deliveries', endpointId] as const,
}
