import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64 (the key is the part after the prefix). */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`
}

/**
 * The three Standard Webhooks headers, signed with the reference library. Several secrets (during a rotation)
 * give several space-separated `v1,` signatures; a receiver accepts the message if any of them verifies.
 */
export function signWebhook(input: { webhookId: string; sentAt: Date; body: string; secrets: string[] }) {
  return {
    'webhook-id': input.webhookId,
    'webhook-timestamp': String(Math.floor(input.sentAt.getTime() / 1000)),
    'webhook-signature': input.secrets
      .map((secret) => new Webhook(secret).sign(input.webhookId, input.sentAt, input.body))
      .join(' '),
  }
}

/** The `webhook-id` of a delivery: the same on every attempt, so a receiver can drop repeats. */
export function webhookIdOf(deliveryId: string): string {
  return `msg_${deliveryId.replaceAll('-', '')}`
}
