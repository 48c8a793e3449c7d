import {
  createWebhookEndpointRequestSchema,
  recoverWebhookDeliveriesRequestSchema,
} from '@dialtone/shared/webhook-endpoints'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { isUuid } from '../lib/is-uuid.ts'
import { recordAuditEvent } from '../audit/audit-repository.ts'
import { auditActorOf } from '../http/audit-context.ts'
import { requirePermission, type ViewerVariables } from '../http/require-viewer.ts'
import { AppError } from '../lib/app-error.ts'
import { validate } from '../http/validate.ts'
import type { OutboundWebhookDeps } from '../outbound-webhooks/outbound-webhook-deps.ts'
import { registerWebhookEndpoint } from '../outbound-webhooks/register-webhook-endpoint.ts'
import { rotateSecretOfEndpoint } from '../outbound-webhooks/rotate-webhook-endpoint-secret.ts'
import { toWebhookDelivery, toWebhookEndpoint } from '../outbound-webhooks/webhook-endpoint-mapper.ts'
import {
  deleteWebhookEndpoint,
  findDeliveryOfOrganization,
  findWebhookEndpoint,
  listDeliveriesWithAttempts,
  listWebhookEndpoints,
  requeueDeliveries,
} from '../outbound-webhooks/webhook-endpoint-repository.ts'

export interface WebhookEndpointRouteDeps {
  outboundWebhooks: OutboundWebhookDeps
  /** Told when deliveries were queued again, so a worker in this process sends them at once. */
  onRequeued?: () => void
}

const deliveriesQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) })

/** Ids that are not ours, or not ids at all, are simply not found. */
function requireId(raw: string, what: string): string {
  if (!isUuid(raw)) throw new AppError('NOT_FOUND', `No such ${what}.`)
  return raw
}

/**
 * `/api/webhook-endpoints`: every route scoped to the viewer's organisation, like the phone-number routes, and
 * every one needs settings:write (an endpoint's URL and deliveries are settings; members have no use for them).
 */
export function webhookEndpointRoutes(deps: WebhookEndpointRouteDeps) {
  const { outboundWebhooks } = deps
  const { db, clock } = outboundWebhooks
  const findEndpoint = async (organizationId: string, rawId: string) => {
    const endpoint = await findWebhookEndpoint(db, organizationId, requireId(rawId, 'webhook endpoint'))
    if (!endpoint) throw new AppError('NOT_FOUND', 'No such webhook endpoint.')
    return endpoint
  }
  const audit = (
    c: Context<{ Variables: ViewerVariables }>,
    action: string,
    endpoint: { id: string; url: string },
    details?: Record<string, unknown>,
  ) =>
    recordAuditEvent(db, {
      organizationId: c.get('viewer').organizationId,
      actor: auditActorOf(c),
      action,
      target: { type: 'webhook-endpoint', id: endpoint.id, label: endpoint.url },
      ...(details ? { details } : {}),
    })
  return new Hono<{ Variables: ViewerVariables }>()
    .use(requirePermission('settings:write'))
    .get('/', async (c) => {
      const rows = await listWebhookEndpoints(db, c.get('viewer').organizationId)
      const now = clock.now()
      return c.json({ items: rows.map((row) => toWebhookEndpoint(row, now)) })
    })
    .post('/', validate('json', createWebhookEndpointRequestSchema), async (c) => {
      const request = c.req.valid('json')
      const created = await registerWebhookEndpoint(outboundWebhooks, {
        organizationId: c.get('viewer').organizationId,
        url: request.url,
        events: request.events,
      })
      await audit(c, 'webhook-endpoint.create', created, { events: created.events })
      return c.json(created, 201)
    })
    .delete('/:id', async (c) => {
      const endpoint = await findEndpoint(c.get('viewer').organizationId, c.req.param('id'))
      if (!(await deleteWebhookEndpoint(db, c.get('viewer').organizationId, endpoint.id))) {
        throw new AppError('NOT_FOUND', 'No such webhook endpoint.')
      }
      await audit(c, 'webhook-endpoint.delete', endpoint)
      return c.body(null, 204)
    })
    .post('/:id/rotate-secret', async (c) => {
      const rotated = await rotateSecretOfEndpoint(outboundWebhooks, {
        organizationId: c.get('viewer').organizationId,
        endpointId: requireId(c.req.param('id'), 'webhook endpoint'),
      })
      await audit(c, 'webhook-endpoint.rotate-secret', rotated)
      return c.json(rotated)
    })
    .get('/:id/deliveries', validate('query', deliveriesQuerySchema), async (c) => {
      const endpoint = await findEndpoint(c.get('viewer').organizationId, c.req.param('id'))
      const deliveries = await listDeliveriesWithAttempts(db, {
        endpointId: endpoint.id,
        limit: c.req.valid('query').limit,
      })
      return c.json({ items: deliveries.map(toWebhookDelivery) })
    })
    .post('/:id/recover', validate('json', recoverWebhookDeliveriesRequestSchema), async (c) => {
      const endpoint = await findEndpoint(c.get('viewer').organizationId, c.req.param('id'))
      const recovered = await requeueDeliveries(db, {
        endpointId: endpoint.id,
        failedSince: new Date(c.req.valid('json').since),
        now: clock.now(),
      })
      deps.onRequeued?.()
      await audit(c, 'webhook-endpoint.recover', endpoint, { recovered, since: c.req.valid('json').since })
      return c.json({ recovered })
    })
}

/** `/api/webhook-deliveries/:id/retry`: "send again" for one delivery, whatever its state. */
export function webhookDeliveryRoutes(deps: WebhookEndpointRouteDeps) {
  const { db, clock } = deps.outboundWebhooks
  return new Hono<{ Variables: ViewerVariables }>().post(
    '/:id/retry',
    requirePermission('settings:write'),
    async (c) => {
      const organizationId = c.get('viewer').organizationId
      const deliveryId = requireId(c.req.param('id'), 'webhook delivery')
      const delivery = await findDeliveryOfOrganization(db, organizationId, deliveryId)
      if (!delivery) throw new AppError('NOT_FOUND', 'No such webhook delivery.')
      await requeueDeliveries(db, { endpointId: delivery.endpoint_id, deliveryId, now: clock.now() })
      deps.onRequeued?.()
      const [requeued] = await listDeliveriesWithAttempts(db, { deliveryId })
      if (!requeued) throw new AppError('NOT_FOUND', 'No such webhook delivery.')
      await recordAuditEvent(db, {
        organizationId,
        actor: auditActorOf(c),
        action: 'webhook-delivery.retry',
        target: { type: 'webhook-delivery', id: deliveryId, label: null },
        details: { endpointId: delivery.endpoint_id },
      })
      return c.json(toWebhookDelivery(requeued), 202)
    },
  )
}
