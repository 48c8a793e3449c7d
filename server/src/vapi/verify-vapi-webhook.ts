import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

export type WebhookAuthMode = 'hmac' | 'secret' | 'bearer'

export const maxClockSkewMs = 5 * 60 * 1000

export type WebhookVerdict = { isValid: true } | { isValid: false; reason: string }

function constantTimeEquals(a: Buffer, b: Buffer): boolean {
  // Lengths are not secret (a hex SHA-256 is always 64 characters); the bytes are compared in constant time.
  return a.length === b.length && timingSafeEqual(a, b)
}

/** For a secret sent as is: comparing digests takes the same time whatever the length of either side. */
function secretsMatch(given: string, secret: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest()
  return timingSafeEqual(digest(given), digest(secret))
}

/** Unix seconds or milliseconds, as Vapi may send either. */
export function parseWebhookTimestamp(header: string): number | null {
  if (!/^\d{1,16}$/.test(header)) return null
  const value = Number(header)
  return value < 1e12 ? value * 1000 : value
}

/**
 * Checks that a webhook came from whoever holds the shared secret, on the raw bytes before anything parses them.
 * With no secret configured nothing is accepted: an empty secret would let anyone in.
 */
export function verifyVapiWebhook(input: {
  mode: WebhookAuthMode
  secret: string
  headers: Headers
  rawBody: Uint8Array
  now: Date
}): WebhookVerdict {
  const { mode, secret, headers } = input
  if (secret.length === 0) return { isValid: false, reason: 'no webhook secret is configured' }

  if (mode === 'secret') {
    const given = headers.get('x-vapi-secret')
    if (given === null) return { isValid: false, reason: 'missing X-Vapi-Secret' }
    return secretsMatch(given, secret) ? { isValid: true } : { isValid: false, reason: 'wrong X-Vapi-Secret' }
  }

  if (mode === 'bearer') {
    const match = /^Bearer (.+)$/.exec(headers.get('authorization') ?? '')
    if (!match?.[1]) return { isValid: false, reason: 'missing bearer token' }
    return secretsMatch(match[1], secret) ? { isValid: true } : { isValid: false, reason: 'wrong bearer token' }
  }

  const timestampHeader = headers.get('x-timestamp')
  const signatureHeader = headers.get('x-signature')
  if (timestampHeader === null || signatureHeader === null) {
    return { isValid: false, reason: 'missing x-timestamp or x-signature' }
  }
  const timestampMs = parseWebhookTimestamp(timestampHeader)
  if (timestampMs === null) return { isValid: false, reason: 'x-timestamp is not a unix time' }
  if (Math.abs(input.now.getTime() - timestampMs) > maxClockSkewMs) {
    return { isValid: false, reason: 'x-timestamp is more than 5 minutes away' }
  }
  const signature = signatureHeader.replace(/^sha256=/, '').toLowerCase()
  if (!/^[0-9a-f]{64}$/.test(signature)) return { isValid: false, reason: 'x-signature is not a hex SHA-256 HMAC' }
  const expected = createHmac('sha256', secret).update(`${timestampHeader}.`).update(input.rawBody).digest()
  return constantTimeEquals(Buffer.from(signature, 'hex'), expected)
    ? { isValid: true }
    : { isValid: false, reason: 'signature does not match' }
}

/** The headers a sender (the sandbox, a relay, a test) attaches for a given mode. */
export function signVapiWebhook(input: {
  mode: WebhookAuthMode
  secret: string
  rawBody: string
  timestampMs: number
}): Record<string, string> {
  if (input.mode === 'secret') return { 'x-vapi-secret': input.secret }
  if (input.mode === 'bearer') return { authorization: `Bearer ${input.secret}` }
  const timestamp = String(input.timestampMs)
  const signature = createHmac('sha256', input.secret).update(`${timestamp}.${input.rawBody}`).digest('hex')
  return { 'x-timestamp': timestamp, 'x-signature': signature }
}
