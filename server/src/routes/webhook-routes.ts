import { Hono } from 'hono'
import { limitBodySize } from '../http/body-limit.ts'
import { AppError } from '../lib/app-error.ts'
import type { ProvisioningDeps } from '../provisioning/provisioning-deps.ts'
import { ingestVapiWebhook } from '../provisioning/ingest-vapi-webhook.ts'
import { MalformedWebhookError } from '../vapi/vapi-webhook-envelope.ts'
import { verifyVapiWebhook, type WebhookAuthMode } from '../vapi/verify-vapi-webhook.ts'

export const maxWebhookBodyBytes = 256 * 1024

export interface WebhookRouteDeps {
  provisioning: ProvisioningDeps
  authMode: WebhookAuthMode
  secret: string
  onDelivery?: (outcome: string, durationMs: number) => void
}

export function webhookRoutes(deps: WebhookRouteDeps) {
  return new Hono().post(
    '/vapi',
    limitBodySize(maxWebhookBodyBytes, 'Webhook bodies are limited to 256 KiB.'),
    async (c) => {
      const startedAt = performance.now()
      const rawBody = new Uint8Array(await c.req.arrayBuffer())
      const verdict = verifyVapiWebhook({
        mode: deps.authMode,
        secret: deps.secret,
        headers: c.req.raw.headers,
        rawBody,
        now: deps.provisioning.clock.now(),
      })
      if (!verdict.isValid) {
        deps.onDelivery?.('unauthorized', performance.now() - startedAt)
        throw new AppError('UNAUTHENTICATED', `Webhook refused: ${verdict.reason}.`)
      }
      try {
        const result = await ingestVapiWebhook(deps.provisioning, {
          rawBody,
          messageId: c.req.header('x-message-id') ?? null,
          // The purchase attempt named in the server.url dialtone gave Vapi (see webhookUrlForAttempt).
          attemptId: c.req.query('attempt') ?? null,
        })
        deps.onDelivery?.(result.outcome, performance.now() - startedAt)
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
