import { createHmac } from 'node:crypto'

export type SandboxWebhookAuth = 'hmac' | 'secret' | 'bearer'

/** Vapi's HMAC scheme: hex HMAC-SHA256 over "{timestamp}.{raw body}". */
export function signWebhookBody(secret: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')
}

/**
 * The headers of one delivery. The number's own `server.headers` come first so they can never replace the
 * credential or the message id.
 */
export function buildWebhookHeaders(options: {
  auth: SandboxWebhookAuth
  secret: string
  rawBody: string
  timestampMs: number
  messageId: string
  customHeaders: Record<string, string>
}): Record<string, string> {
  const headers: Record<string, string> = { ...options.customHeaders, 'content-type': 'application/json' }
  headers['x-message-id'] = options.messageId
  if (options.auth === 'hmac') {
    const timestamp = String(options.timestampMs)
    headers['x-timestamp'] = timestamp
    headers['x-signature'] = signWebhookBody(options.secret, timestamp, options.rawBody)
  } else if (options.auth === 'secret') {
    headers['x-vapi-secret'] = options.secret
  } else {
    headers.authorization = `Bearer ${options.secret}`
  }
  return headers
}
