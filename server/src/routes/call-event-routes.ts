import { putCallEventSettingsRequestSchema, testCallRequestSchema } from '@dialtone/shared/call-events'
import { Hono } from 'hono'
import { recordAuditEvent } from '../audit/audit-repository.ts'
import type { CallEventDeps } from '../call-events/call-event-deps.ts'
import { getCallEventSettings, putCallEventSettings } from '../call-events/call-event-settings.ts'
import { placeTestCall } from '../call-events/place-test-call.ts'
import { auditActorOf } from '../http/audit-context.ts'
import { requirePermission, type ViewerVariables } from '../http/require-viewer.ts'
import { validate } from '../http/validate.ts'
import { AppError } from '../lib/app-error.ts'

/** /api/call-events: the organisation's call-event relay. Reading and changing it need settings:write. */
export function callEventRoutes(deps: CallEventDeps) {
  return new Hono<{ Variables: ViewerVariables }>()
    .get('/', requirePermission('settings:write'), async (c) =>
      c.json(await getCallEventSettings(deps, c.get('viewer').organizationId)),
    )
    .put('/', requirePermission('settings:write'), validate('json', putCallEventSettingsRequestSchema), async (c) => {
      const organizationId = c.get('viewer').organizationId
      const before = await getCallEventSettings(deps, organizationId)
      const settings = await putCallEventSettings(deps, organizationId, c.req.valid('json'))
      // The credential never reaches the audit log: only its type and last four characters, as the page shows it.
      await recordAuditEvent(deps.db, {
        organizationId,
        actor: auditActorOf(c),
        action: 'call-events.update',
        target: { type: 'call-events', id: 'call-events', label: 'Call events' },
        details: {
          enabled: settings.enabled,
          wasEnabled: before.enabled,
          forwardUrl: settings.forwardUrl,
          forwardAuth: settings.forwardAuth,
          fallbackAssistantId: settings.fallbackAssistantId,
          keepTranscripts: settings.keepTranscripts,
          routedNumbers: settings.routedNumbers,
        },
      })
      return c.json(settings)
    })
}

/** POST /api/phone-numbers/:id/test-call: sandbox mode only (404 otherwise); the number must be live (409). */
export function testCallRoutes(deps: CallEventDeps) {
  return new Hono<{ Variables: ViewerVariables }>().post(
    '/:id/test-call',
    requirePermission('numbers:write'),
    async (c) => {
      const text = await c.req.text()
      let body: unknown = {}
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text)
        } catch {
          throw new AppError('VALIDATION_FAILED', 'The body is not JSON.')
        }
      }
      const request = testCallRequestSchema.safeParse(body)
      if (!request.success) {
        const first = request.error.issues[0]
        throw new AppError('VALIDATION_FAILED', `${first?.path.join('.') || 'body'}: ${first?.message ?? 'not valid'}`)
      }
      const call = await placeTestCall(deps, {
        organizationId: c.get('viewer').organizationId,
        phoneNumberId: c.req.param('id'),
        request: request.data,
      })
      return c.json(call, 202)
    },
  )
}
