import { Hono } from 'hono'
import { limitBodySize } from '../http/body-limit.ts'
import { AppError } from '../lib/app-error.ts'
import { readBodyWithin } from '../lib/read-body-within.ts'
import type { ProvisioningDeps } from '../provisioning/provisioning-deps.ts'
import { ingestVapiWebhook } from '../provisioning/ingest-vapi-webhook.ts'
import { MalformedWebhookError, parseVapiWebhook } from '../vapi/vapi-webhook-envelope.ts'
import { verifyVapiWebhook, verifyVapiWebhookHeaders, type WebhookAuthMode } from '../vapi/verify-vapi-webhook.ts'
import type { CallEventDeps } from '../call-events/call-event-deps.ts'
import { handleCallMessage, isCallMessageType, type CallMessageResult } from '../call-events/handle-call-message.ts'
import { answeredMessageTypes } from '../call-events/call-message.ts'

export const maxWebhookBodyBytes = 256 * 1024
/** Vapi sends a few KiB at once; a sender still trickling bytes after this is not Vapi. */
export const webhookBodyTimeoutMs = 10_000

export interface WebhookRouteDeps {
  provisioning: ProvisioningDeps
  authMode: WebhookAuthMode
  secret: string
  onDelivery?: (outcome: string, durationMs: number) => void
  /** How long the body may take to arrive; webhookBodyTimeoutMs unless a test needs it shorter. */
  bodyTimeoutMs?: number
  /** Call messages (issue 17): activity on the numbers, and the relay to organisations' own servers. */
  callEvents?: CallEventDeps
}

export function webhookRoutes(deps: WebhookRouteDeps) {
  return new Hono().post(
    '/vapi',
    limitBodySize(maxWebhookBodyBytes, 'Webhook bodies are limited to 256 KiB.'),
    async (c) => {
      const startedAt = performance.now()
      const refuse = (reason: string) => {
        deps.onDelivery?.('unauthorized', performance.now() - startedAt)
        // The body was not read: the connection is not reused for another request behind its unread bytes.
        c.header('Connection', 'close')
        return new AppError('UNAUTHENTICATED', `Webhook refused: ${reason}.`)
      }
      const early = verifyVapiWebhookHeaders({
        mode: deps.authMode,
        secret: deps.secret,
        headers: c.req.raw.headers,
        now: deps.provisioning.clock.now(),
      })
      if (!early.isValid) throw refuse(early.reason)
      const rawBody = await readBodyWithin(() => c.req.arrayBuffer(), deps.bodyTimeoutMs ?? webhookBodyTimeoutMs)
      if (rawBody === null) {
        c.header('Connection', 'close')
        throw new AppError('VALIDATION_FAILED', 'The webhook body did not arrive in time.')
      }
      const verdict = verifyVapiWebhook({
        mode: deps.authMode,
        secret: deps.secret,
        headers: c.req.raw.headers,
        rawBody,
        now: deps.provisioning.clock.now(),
      })
      if (!verdict.isValid) throw refuse(verdict.reason)
      try {
        const { type } = parseVapiWebhook(rawBody)
        const call: CallMessageResult | null =
          deps.callEvents && isCallMessageType(type) ? await handleCallMessage(deps.callEvents, { rawBody }) : null
        const result = await ingestVapiWebhook(deps.provisioning, {
          rawBody,
          messageId: c.req.header('x-message-id') ?? null,
          // The purchase attempt named in the server.url dialtone gave Vapi (see webhookUrlForAttempt).
          attemptId: c.req.query('attempt') ?? null,
        })
        deps.onDelivery?.(result.outcome, performance.now() - startedAt)
        // Vapi waits on these: it gets the organisation's answer (or the fallback), exactly as it came.
        if (call && answeredMessageTypes.has(type)) {
          return c.body(call.response.body, 200, { 'content-type': 'application/json' })
        }
        return c.json({ received: true, outcome: result.outcome })
      } catch (error) {
        if (error instanceof MalformedWebhookError) {
          deps.onDelivery?.('malformed', performance.now() - startedAt)
          throw new AppError('VALIDATION_FAILED', error.message)
        }
        throw error
      }
    },
  )
}
