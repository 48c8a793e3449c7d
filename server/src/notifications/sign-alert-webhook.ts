import { createHmac } from 'node:crypto'

/**
 * The admins' alert webhook signature: hex HMAC-SHA256 of "{timestamp}.{body}" with ADMIN_ALERT_WEBHOOK_SECRET,
 * sent as `x-dialtone-signature: v1=<hex>` beside `x-dialtone-timestamp` (unix seconds). A receiver recomputes it
 * and refuses timestamps far from its clock.
 */
export function signAlertWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}
