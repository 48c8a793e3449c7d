import { z } from 'zod/mini'
import {
  recoverWebhookDeliveriesResultSchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookEndpointListSchema,
  webhookEndpointWithSecretSchema,
  type CreateWebhookEndpointRequest,
} from '@dialtone/shared/webhook-endpoints'
import { requestJson } from '../../lib/request-json.ts'

const endpointPath = (id: string) => `/api/webhook-endpoints/${encodeURIComponent(id)}`

export function fetchWebhookEndpoints() {
  return requestJson('/api/webhook-endpoints', webhookEndpointListSchema)
}

export function createWebhookEndpoint(request: CreateWebhookEndpointRequest) {
  return requestJson('/api/webhook-endpoints', webhookEndpointWithSecretSchema, { method: 'POST', body: request })
}

export function deleteWebhookEndpoint(id: string) {
  return requestJson(endpointPath(id), z.null(), { method: 'DELETE' })
}

export function rotateWebhookEndpointSecret(id: string) {
  return requestJson(`${endpointPath(id)}/rotate-secret`, webhookEndpointWithSecretSchema, { method: 'POST', body: {} })
}

export function fetchWebhookDeliveries(endpointId: string) {
  return requestJson(`${endpointPath(endpointId)}/deliveries`, webhookDeliveryListSchema)
}

export function retryWebhookDelivery(deliveryId: string) {
  return requestJson(`/api/webhook-deliveries/${encodeURIComponent(deliveryId)}/retry`, webhookDeliverySchema, {
    method: 'POST',
    body: {},
  })
}

export function recoverWebhookDeliveries(endpointId: string, since: string) {
  return requestJson(`${endpointPath(endpointId)}/recover`, recoverWebhookDeliveriesResultSchema, {
    method: 'POST',
    body: { since },
  })
}
