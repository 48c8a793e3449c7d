import { Hono } from 'hono'
import { limitBodySize } from '../http/body-limit.ts'
import type { InboundLogDeps } from '../inbound-log/inbound-log-deps.ts'
import {
  recordInboundMessage,
  verificationOfRefusal,
  type InboundMessageRecord,
} from '../inbound-log/record-inbound-message.ts'
import { AppError } from '../lib/app-error.ts'
import { isDatabaseUnavailable } from '../lib/is-database-unavailable.ts'
import { readBodyWithin } from '../lib/read-body-within.ts'
import type { ProvisioningDeps } from '../provisioning/provisioning-deps.ts'
import { deliveryIdOf } from '../provisioning/ingest-vapi-webhook.ts'
import { describeVapiMessage } from '../inbound-log/describe-vapi-message.ts'
import { handleVapiMessage } from '../inbound-log/handle-vapi-message.ts'
import type { CallEventDeps } from '../call-events/call-event-deps.ts'
import { MalformedWebhookError } from '../vapi/vapi-webhook-envelope.ts'
import { verifyVapiWebhook, verifyVapiWebhookHeaders, type WebhookAuthMode } from '../vapi/verify-vapi-webhook.ts'

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
  /** The inbound webhook log; every request, verified or refused, is written to it. Absent: nothing is logged. */
  inboundLog?: InboundLogDeps
  /** Call messages (issue 17): activity on the numbers, and the relay to organisations' own servers. */
  callEvents?: CallEventDeps
}

export function webhookRoutes(deps: WebhookRouteDeps) {
  return new Hono().post(
    '/vapi',
    limitBodySize(maxWebhookBodyBytes, 'Webhook bodies are limited to 256 KiB.'),
    async (c) => {
      const startedAt = performance.now()
      const receivedAt = deps.provisioning.clock.now()
      const headers = c.req.raw.headers
      const messageId = c.req.header('x-message-id') ?? null
      const attemptId = c.req.query('attempt') ?? null
      const record = (entry: Omit<InboundMessageRecord, 'source' | 'headers' | 'receivedAt'>) =>
        deps.inboundLog
          ? recordInboundMessage(deps.inboundLog, {
              source: 'vapi',
              headers,
              receivedAt,
              messageId,
              attemptId,
              handlingMs: performance.now() - startedAt,
              ...entry,
            })
          : Promise.resolve(null)
      const refuse = async (reason: string, rawBody: Uint8Array | null) => {
        deps.onDelivery?.('unauthorized', performance.now() - startedAt)
        await record({
          rawBody,
          verification: verificationOfRefusal(reason),
          verificationDetail: reason,
          outcome: 'refused',
          httpStatus: 401,
          ...(rawBody ? { messageType: describeVapiMessage(rawBody).type } : {}),
        })
        // The body was not read: the connection is not reused for another request behind its unread bytes.
        c.header('Connection', 'close')
        return new AppError('UNAUTHENTICATED', `Webhook refused: ${reason}.`)
      }
      const early = verifyVapiWebhookHeaders({
        mode: deps.authMode,
        secret: deps.secret,
        headers,
        now: deps.provisioning.clock.now(),
      })
      if (!early.isValid) throw await refuse(early.reason, null)
      const rawBody = await readBodyWithin(() => c.req.arrayBuffer(), deps.bodyTimeoutMs ?? webhookBodyTimeoutMs)
      if (rawBody === null) {
        c.header('Connection', 'close')
        throw new AppError('VALIDATION_FAILED', 'The webhook body did not arrive in time.')
      }
      const verdict = verifyVapiWebhook({
        mode: deps.authMode,
        secret: deps.secret,
        headers,
        rawBody,
        now: deps.provisioning.clock.now(),
      })
      if (!verdict.isValid) throw await refuse(verdict.reason, rawBody)
      const described = describeVapiMessage(rawBody)
      const verified = {
        rawBody,
        verification: 'ok' as const,
        messageType: described.type,
        callId: described.callId,
        phoneNumber: { vapiPhoneNumberId: described.vapiPhoneNumberId },
        deliveryId: deliveryIdOf(messageId, rawBody),
      }
      try {
        const handled = await handleVapiMessage(deps, { rawBody, messageId, attemptId })
        deps.onDelivery?.(handled.outcome, performance.now() - startedAt)
        await record({
          ...verified,
          outcome: handled.outcome,
          httpStatus: 200,
          relayKey: handled.call?.messageKey ?? null,
        })
        // Vapi waits on these: it gets the organisation's answer (or the fallback), exactly as it came.
        if (handled.call && handled.isAnswered) {
          return c.body(handled.call.response.body, 200, { 'content-type': 'application/json' })
        }
        return c.json({ received: true, outcome: handled.outcome })
      } catch (error) {
        if (error instanceof MalformedWebhookError) {
          deps.onDelivery?.('malformed', performance.now() - startedAt)
          await record({ ...verified, outcome: 'malformed', httpStatus: 400 })
          throw new AppError('VALIDATION_FAILED', error.message)
        }
        const httpStatus = error instanceof AppError ? error.status : isDatabaseUnavailable(error) ? 503 : 500
        await record({ ...verified, outcome: 'error', httpStatus })
        throw error
      }
    },
  )
}
