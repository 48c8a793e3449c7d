import { Hono } from 'hono'
import { telnyxSignatureHeader, telnyxTimestampHeader } from '../carriers/verify-telnyx-webhook.ts'
import { ingestTelnyxWebhook, type TelnyxWebhookDeps } from '../carrier-purchases/ingest-telnyx-webhook.ts'
import { limitBodySize } from '../http/body-limit.ts'
import type { InboundLogDeps } from '../inbound-log/inbound-log-deps.ts'
import { recordInboundMessage, verificationOfRefusal } from '../inbound-log/record-inbound-message.ts'
import { AppError } from '../lib/app-error.ts'
import { readBodyWithin } from '../lib/read-body-within.ts'
import { maxWebhookBodyBytes, webhookBodyTimeoutMs } from './webhook-routes.ts'

/** What the inbound log shows of a Telnyx event: its type, id and the first number it names, when it parses. */
function describeTelnyxEvent(rawBody: string): { type: string | null; id: string | null; number: string | null } {
  try {
    const parsed = JSON.parse(rawBody) as {
      data?: { event_type?: unknown; id?: unknown; payload?: { phone_numbers?: { phone_number?: unknown }[] } }
    }
    const data = parsed.data
    const number = data?.payload?.phone_numbers?.[0]?.phone_number
    return {
      type: typeof data?.event_type === 'string' ? data.event_type : null,
      id: typeof data?.id === 'string' ? data.id : null,
      number: typeof number === 'string' ? number : null,
    }
  } catch {
    return { type: null, id: null, number: null }
  }
}

/**
 * POST /webhooks/telnyx: Telnyx's number-order webhooks. 200 as soon as the event is verified and recorded (also
 * for duplicates and events dialtone does not act on), 401 when the Ed25519 signature does not verify (nothing is
 * recorded or changed), 400 for a body that is not Telnyx's envelope. The saga goes on after the answer. Every
 * request, refused or not, is written to the inbound webhook log (which never fails the webhook).
 */
export function telnyxWebhookRoutes(deps: TelnyxWebhookDeps, inboundLog?: InboundLogDeps) {
  return new Hono().post(
    '/telnyx',
    limitBodySize(maxWebhookBodyBytes, 'Webhook bodies are limited to 256 KiB.'),
    async (c) => {
      const startedAt = performance.now()
      const body = await readBodyWithin(() => c.req.arrayBuffer(), webhookBodyTimeoutMs)
      if (body === null) {
        c.header('Connection', 'close')
        throw new AppError('VALIDATION_FAILED', 'The webhook body did not arrive in time.')
      }
      const rawBody = Buffer.from(body).toString('utf8')
      const { answer, advance } = await ingestTelnyxWebhook(deps, {
        rawBody,
        signature: c.req.header(telnyxSignatureHeader),
        timestamp: c.req.header(telnyxTimestampHeader),
      })
      if (inboundLog) {
        const event = describeTelnyxEvent(rawBody)
        await recordInboundMessage(inboundLog, {
          source: 'telnyx',
          headers: c.req.raw.headers,
          rawBody: new Uint8Array(body),
          verification: answer.status === 401 ? verificationOfRefusal(answer.reason) : 'ok',
          verificationDetail: answer.status === 200 ? null : answer.reason,
          outcome: answer.status === 200 ? answer.outcome : answer.status === 401 ? 'refused' : 'malformed',
          httpStatus: answer.status,
          messageType: event.type,
          deliveryId: event.id,
          phoneNumber: event.number ? { number: event.number } : null,
          handlingMs: performance.now() - startedAt,
        })
      }
      if (answer.status !== 200) {
        throw new AppError(
          answer.status === 401 ? 'UNAUTHENTICATED' : 'VALIDATION_FAILED',
          `Webhook refused: ${answer.reason}.`,
        )
      }
      if (advance) void advance()
      return c.json({ received: true, outcome: answer.outcome })
    },
  )
}
