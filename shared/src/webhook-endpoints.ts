import { z } from 'zod/mini'
import { phoneNumberSchema } from './phone-number.ts'

/** What an organisation's endpoints can subscribe to; `phone-number.updated` is every other recorded change. */
export const webhookEventTypes = [
  'phone-number.live',
  'phone-number.failed',
  'phone-number.released',
  'phone-number.updated',
] as const
export const webhookEventTypeSchema = z.enum(webhookEventTypes)
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>

export const webhookEndpointUrlSchema = z.pipe(
  z.string().check(z.trim(), z.maxLength(2000, 'A URL is at most 2000 characters.')),
  z.url({ protocol: /^https?$/, error: 'Expected an http:// or https:// URL.' }),
)

export const createWebhookEndpointRequestSchema = z.object({
  url: webhookEndpointUrlSchema,
  /** Left out: every event. */
  events: z.optional(
    z.pipe(
      z.array(webhookEventTypeSchema).check(z.minLength(1, 'Choose at least one event.')),
      z.transform((events) => [...new Set(events)]),
    ),
  ),
})
export type CreateWebhookEndpointRequest = z.input<typeof createWebhookEndpointRequestSchema>

export const webhookEndpointSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(webhookEventTypeSchema),
  /** Set when dialtone stopped sending because every attempt failed for the whole retry schedule. */
  disabledAt: z.nullable(z.string()),
  disabledReason: z.nullable(z.string()),
  /** The first failure since the last success; null while deliveries succeed. */
  failingSince: z.nullable(z.string()),
  /** Until then deliveries are signed with the previous secret too (after a rotation). */
  previousSecretExpiresAt: z.nullable(z.string()),
  createdAt: z.string(),
})
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>

/** The only answers that carry the signing secret: the create and the rotation. */
export const webhookEndpointWithSecretSchema = z.extend(webhookEndpointSchema, {
  secret: z.string().check(z.startsWith('whsec_')),
})
export type WebhookEndpointWithSecret = z.infer<typeof webhookEndpointWithSecretSchema>

export const webhookEndpointListSchema = z.object({ items: z.array(webhookEndpointSchema) })

export const webhookAttemptSchema = z.object({
  id: z.string(),
  at: z.string(),
  /** The receiver's HTTP status; null when no answer came (refused, timed out, address not allowed). */
  responseStatus: z.nullable(z.int()),
  latencyMs: z.int(),
  /** The start of the receiver's answer, or why there was none. */
  responseExcerpt: z.string(),
  isSuccess: z.boolean(),
})
export type WebhookAttempt = z.infer<typeof webhookAttemptSchema>

export const webhookDeliveryStatuses = ['pending', 'succeeded', 'failed'] as const

export const webhookDeliverySchema = z.object({
  id: z.uuid(),
  endpointId: z.uuid(),
  /** The `webhook-id` header: the same on every attempt, so a receiver can drop repeats. */
  webhookId: z.string(),
  eventType: webhookEventTypeSchema,
  phoneNumberId: z.nullable(z.uuid()),
  status: z.enum(webhookDeliveryStatuses),
  nextAttemptAt: z.nullable(z.string()),
  createdAt: z.string(),
  attempts: z.array(webhookAttemptSchema),
})
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>

export const webhookDeliveryListSchema = z.object({ items: z.array(webhookDeliverySchema) })

export const recoverWebhookDeliveriesRequestSchema = z.object({
  since: z.iso.datetime({ offset: true, error: 'since: expected an ISO 8601 time, like 2026-12-01T09:00:00Z.' }),
})
export const recoverWebhookDeliveriesResultSchema = z.object({ recovered: z.int() })

/** Payload of every outbound webhook (Standard Webhooks' `{ type, timestamp, data }`). */
export interface WebhookPayload<Data> {
  type: WebhookEventType
  timestamp: string
  data: Data
}

/** The same payload as a schema: the OpenAPI description's `webhooks` section is generated from it. */
export const webhookPayloadSchema = z.object({
  type: webhookEventTypeSchema,
  timestamp: z.string(),
  data: phoneNumberSchema,
})
