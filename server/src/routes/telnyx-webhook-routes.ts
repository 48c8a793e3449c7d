import { Hono } from 'hono'
import { telnyxSignatureHeader, telnyxTimestampHeader } from '../carriers/verify-telnyx-webhook.ts'
import { ingestTelnyxWebhook, type TelnyxWebhookDeps } from '../carrier-purchases/ingest-telnyx-webhook.ts'
import { limitBodySize } from '../http/body-limit.ts'
import { AppError } from '../lib/app-error.ts'
import { readBodyWithin } from '../lib/read-body-within.ts'
import { maxWebhookBodyBytes, webhookBodyTimeoutMs } from './webhook-routes.ts'

/**
 * POST /webhooks/telnyx: Telnyx's number-order webhooks. 200 as soon as the event is verified and recorded (also
 * for duplicates and events dialtone does not act on), 401 when the Ed25519 signature does not verify (nothing is
 * recorded or changed), 400 for a body that is not Telnyx's envelope. The saga goes on after the answer.
 */
export function telnyxWebhookRoutes(deps: TelnyxWebhookDeps) {
  return new Hono().post(
    '/telnyx',
    limitBodySize(maxWebhookBodyBytes, 'Webhook bodies are limited to 256 KiB.'),
    async (c) => {
      const body = await readBodyWithin(() => c.req.arrayBuffer(), webhookBodyTimeoutMs)
      if (body === null) {
        c.header('Connection', 'close')
        throw new AppError('VALIDATION_FAILED', 'The webhook body did not arrive in time.')
      }
      const { answer, advance } = await ingestTelnyxWebhook(deps, {
        rawBody: Buffer.from(body).toString('utf8'),
        signature: c.req.header(telnyxSignatureHeader),
        timestamp: c.req.header(telnyxTimestampHeader),
      })
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
