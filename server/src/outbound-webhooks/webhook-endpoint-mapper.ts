import { webhookEventTypeSchema, type WebhookDelivery, type WebhookEndpoint } from '@dialtone/shared/webhook-endpoints'
import { z } from 'zod'
import type { WebhookEndpointRow } from '../db/schema.ts'
import type { DeliveryWithAttempts } from './webhook-endpoint-repository.ts'
import { webhookIdOf } from './sign-webhook.ts'

const iso = (value: Date | null) => (value === null ? null : value.toISOString())
const eventsSchema = z.array(webhookEventTypeSchema)

/** An endpoint as the API shows it: never its secrets. */
export function toWebhookEndpoint(row: WebhookEndpointRow, now: Date): WebhookEndpoint {
  const previousExpiresAt = row.previous_secret_expires_at
  return {
    id: row.id,
    url: row.url,
    events: eventsSchema.parse(row.events),
    disabledAt: iso(row.disabled_at),
    disabledReason: row.disabled_reason,
    failingSince: iso(row.failing_since),
    previousSecretExpiresAt: previousExpiresAt && previousExpiresAt > now ? previousExpiresAt.toISOString() : null,
    createdAt: row.created_at.toISOString(),
  }
}

export function toWebhookDelivery({ delivery, attempts }: DeliveryWithAttempts): WebhookDelivery {
  return {
    id: delivery.id,
    endpointId: delivery.endpoint_id,
    webhookId: webhookIdOf(delivery.id),
    eventType: webhookEventTypeSchema.parse(delivery.event_type),
    phoneNumberId: delivery.phone_number_id,
    status: delivery.status,
    nextAttemptAt: delivery.status === 'pending' ? iso(delivery.next_attempt_at) : null,
    createdAt: delivery.created_at.toISOString(),
    attempts: attempts.map((attempt) => ({
      id: String(attempt.id),
      at: attempt.attempted_at.toISOString(),
      responseStatus: attempt.response_status,
      latencyMs: attempt.latency_ms,
      responseExcerpt: attempt.response_excerpt,
      isSuccess: attempt.is_success,
    })),
  }
}
