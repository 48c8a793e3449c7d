import {
  reprocessSinceRequestSchema,
  webhookLogQuerySchema,
  type WebhookLogResponse,
} from '@dialtone/shared/webhook-log'
import { Hono } from 'hono'
import { z } from 'zod'
import { recordAuditEvent } from '../audit/audit-repository.ts'
import { auditActorOf } from '../http/audit-context.ts'
import { requirePermission, type ViewerVariables } from '../http/require-viewer.ts'
import { validate } from '../http/validate.ts'
import type { InboundLogDeps } from '../inbound-log/inbound-log-deps.ts'
import { listInboundMessages, toInboundMessage } from '../inbound-log/inbound-message-repository.ts'
import { reprocessInboundMessage, reprocessInboundMessagesSince } from '../inbound-log/reprocess-inbound-messages.ts'
import { AppError } from '../lib/app-error.ts'
import { isUuid } from '../lib/is-uuid.ts'

/** A platform admin may also process again across organisations (`all: true`), as the log's `all=true` shows them. */
const reprocessSinceBodySchema = z.object({ ...reprocessSinceRequestSchema.shape, all: z.boolean().optional() })

/**
 * `GET /api/webhook-log`: the messages dialtone received about the organisation's numbers, newest first; platform
 * admins add `all=true` for every organisation's and the refused ones. "Process again" runs a verified message
 * through the same handling, which de-duplicates it.
 */
export function webhookLogRoutes(deps: InboundLogDeps) {
  return new Hono<{ Variables: ViewerVariables }>()
    .get('/', requirePermission('numbers:read'), validate('query', webhookLogQuerySchema), async (c) => {
      const query = c.req.valid('query')
      const viewer = c.get('viewer')
      if (query.all === 'true' && !viewer.isPlatformAdmin) {
        throw new AppError('FORBIDDEN', 'Only platform admins can see every organisation’s webhook log.')
      }
      if (query.cursor !== undefined && !/^\d{1,19}$/.test(query.cursor)) {
        throw new AppError('VALIDATION_FAILED', 'cursor: not a cursor this API gave out.')
      }
      const { rows, hasMore } = await listInboundMessages(deps.db, {
        organizationId: query.all === 'true' ? null : viewer.organizationId,
        type: query.type,
        outcome: query.outcome,
        phoneNumberId: query.phoneNumberId,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        beforeSeq: query.cursor ?? null,
        limit: query.limit,
      })
      const last = rows.at(-1)
      c.header('Cache-Control', 'no-store')
      return c.json({
        items: rows.map(toInboundMessage),
        nextCursor: hasMore && last ? String(last.seq) : null,
      } satisfies WebhookLogResponse)
    })
    .post('/reprocess', requirePermission('settings:write'), validate('json', reprocessSinceBodySchema), async (c) => {
      const body = c.req.valid('json')
      const viewer = c.get('viewer')
      if (body.all && !viewer.isPlatformAdmin) {
        throw new AppError('FORBIDDEN', 'Only platform admins can process every organisation’s messages again.')
      }
      const result = await reprocessInboundMessagesSince(deps, {
        organizationId: body.all ? null : viewer.organizationId,
        since: new Date(body.since),
      })
      await recordAuditEvent(deps.db, {
        organizationId: viewer.organizationId,
        actor: auditActorOf(c),
        action: 'webhook-log.reprocess',
        target: { type: 'webhook-log', id: null, label: `since ${body.since}` },
        details: {
          since: body.since,
          reprocessed: result.reprocessed,
          outcomes: result.outcomes,
          all: body.all ?? false,
        },
      })
      return c.json(result)
    })
    .post('/:id/reprocess', requirePermission('settings:write'), async (c) => {
      const id = c.req.param('id')
      if (!isUuid(id)) throw new AppError('NOT_FOUND', 'No such message in the webhook log.')
      const viewer = c.get('viewer')
      const result = await reprocessInboundMessage(deps, {
        id,
        organizationId: viewer.isPlatformAdmin ? null : viewer.organizationId,
      })
      await recordAuditEvent(deps.db, {
        organizationId: viewer.organizationId,
        actor: auditActorOf(c),
        action: 'webhook-log.reprocess',
        target: { type: 'webhook-message', id, label: null },
        details: { outcome: result.outcome },
      })
      return c.json(result)
    })
}
