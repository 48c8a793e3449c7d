import type { WebhookLogFilters } from './webhook-log-api.ts'

/** Every query about the inbound webhook log hangs under `all`, so one invalidation catches up the whole feature. */
export const webhookLogQueryKeys = {
  all: ['webhook-log'] as const,
  list: (filters: WebhookLogFilters) => [...webhookLogQueryKeys.all, 'list', filters] as const,
}
