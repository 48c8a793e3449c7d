import { createHmac } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import {
  maxClockSkewMs,
  parseWebhookTimestamp,
  signVapiWebhook,
  verifyVapiWebhook,
  type WebhookAuthMode,
} from './verify-vapi-webhook.ts'

const secret = 'unit-test-secret-0123456789abcdef'
const rawBody = '{"message":{"type":"phone-number-status-update","phoneNumber":{"id":"abc","number":"+14155550100"}}}'
const now = new Date('2025-06-01T12:00:00.000Z')
const bytes = (text: string) => new TextEncoder().encode(text)

function verify(
  mode: WebhookAuthMode,
  headers: Record<string, string>,
  body = rawBody,
  options: { secret?: string; at?: Date } = {},
) {
  return verifyVapiWebhook({
    mode,
    secret: options.secret ?? secret,
    headers: new Headers(headers),
    rawBody: bytes(body),
    now: options.at ?? now,
  })
}

describe('verifyVapiWebhook', () => {
  test.each<WebhookAuthMode>(['hmac', 'secret', 'bearer'])('%s: what the sender signs is accepted', (mode) => {
    const headers = signVapiWebhook({ mode, secret, rawBody, timestampMs: now.getTime() })
    expect(verify(mode, headers)).toEqual({ isValid: true })
  })

  test.each<WebhookAuthMode>(['hmac', 'secret', 'bearer'])(
    '%s: with no secret configured nothing is accepted',
    (mode) => {
      // Even a request "signed" with the empty secret, which is exactly what an unconfigured server would compute.
      const headers = signVapiWebhook({ mode, secret: '', rawBody, timestampMs: now.getTime() })
      expect(verify(mode, headers, rawBody, { secret: '' })).toEqual({
        isValid: false,
        reason: 'no webhook secret is configured',
      })
      expect(verify(mode, {}, rawBody, { secret: '' }).isValid).toBe(false)
    },
  )

  test.each<WebhookAuthMode>(['hmac', 'secret', 'bearer'])('%s: the wrong secret is refused', (mode) => {
    const headers = signVapiWebhook({ mode, secret: `${secret}x`, rawBody, timestampMs: now.getTime() })
    expect(verify(mode, headers).isValid).toBe(false)
    const shorter = signVapiWebhook({ mode, secret: secret.slice(0, -1), rawBody, timestampMs: now.getTime() })
    expect(verify(mode, shorter).isValid).toBe(false)
  })

  test.each<WebhookAuthMode>(['hmac', 'secret', 'bearer'])('%s: missing credentials are refused', (mode) => {
    expect(verify(mode, {}).isValid).toBe(false)
  })

  test('a mode only accepts its own header: a right X-Vapi-Secret does not pass HMAC or Bearer', () => {
    const secretHeader = signVapiWebhook({ mode: 'secret', secret, rawBody, timestampMs: now.getTime() })
    expect(verify('hmac', secretHeader).isValid).toBe(false)
    expect(verify('bearer', secretHeader).isValid).toBe(false)
    const bearer = signVapiWebhook({ mode: 'bearer', secret, rawBody, timestampMs: now.getTime() })
    expect(verify('secret', bearer).isValid).toBe(false)
    expect(verify('bearer', { authorization: `Basic ${secret}` }).isValid).toBe(false)
  })

  test('hmac: a tampered body, a re-serialized body and a tampered timestamp are refused', () => {
    const headers = signVapiWebhook({ mode: 'hmac', secret, rawBody, timestampMs: now.getTime() })
    expect(verify('hmac', headers, rawBody.replace('+14155550100', '+14155550101')).isValid).toBe(false)
    // The same JSON value with different bytes: the signature covers bytes, not meaning.
    const reserialized = JSON.stringify(JSON.parse(rawBody), null, 2)
    expect(JSON.parse(reserialized)).toEqual(JSON.parse(rawBody))
    expect(verify('hmac', headers, reserialized).isValid).toBe(false)
    expect(verify('hmac', headers, `${rawBody}\n`).isValid).toBe(false)
    const moved = { ...headers, 'x-timestamp': String(now.getTime() + 1) }
    expect(verify('hmac', moved)).toEqual({ isValid: false, reason: 'signature does not match' })
  })

  test('hmac: the signature may carry a sha256= prefix and upper-case hex, but nothing else', () => {
    const headers = signVapiWebhook({ mode: 'hmac', secret, rawBody, timestampMs: now.getTime() })
    const signature = headers['x-signature'] ?? ''
    expect(signature).toMatch(/^[0-9a-f]{64}$/)
    expect(verify('hmac', { ...headers, 'x-signature': `sha256=${signature}` }).isValid).toBe(true)
    expect(verify('hmac', { ...headers, 'x-signature': signature.toUpperCase() }).isValid).toBe(true)
    expect(verify('hmac', { ...headers, 'x-signature': signature.slice(2) }).isValid).toBe(false)
    expect(verify('hmac', { ...headers, 'x-signature': 'not hex at all' }).isValid).toBe(false)
  })

  test('hmac: timestamps just inside ±5 minutes pass, just outside fail, in seconds and in milliseconds', () => {
    const cases = [
      { offsetMs: 0, isValid: true },
      { offsetMs: maxClockSkewMs - 1_000, isValid: true },
      { offsetMs: -(maxClockSkewMs - 1_000), isValid: true },
      { offsetMs: maxClockSkewMs + 1_000, isValid: false },
      { offsetMs: -(maxClockSkewMs + 1_000), isValid: false },
    ]
    for (const { offsetMs, isValid } of cases) {
      const sentAtMs = now.getTime() + offsetMs
      const inMilliseconds = signVapiWebhook({ mode: 'hmac', secret, rawBody, timestampMs: sentAtMs })
      expect(verify('hmac', inMilliseconds).isValid, `ms ${offsetMs}`).toBe(isValid)

      const seconds = String(Math.floor(sentAtMs / 1000))
      // signVapiWebhook writes milliseconds; a sender using seconds signs "{seconds}.{body}" itself.
      const inSeconds = { 'x-timestamp': seconds, 'x-signature': hmacHex(`${seconds}.${rawBody}`) }
      expect(verify('hmac', inSeconds).isValid, `s ${offsetMs}`).toBe(isValid)
    }
    // Exactly at the edge, in milliseconds: 5 minutes is still accepted, one millisecond more is not.
    const edge = signVapiWebhook({ mode: 'hmac', secret, rawBody, timestampMs: now.getTime() - maxClockSkewMs })
    expect(verify('hmac', edge).isValid).toBe(true)
    const past = signVapiWebhook({ mode: 'hmac', secret, rawBody, timestampMs: now.getTime() - maxClockSkewMs - 1 })
    expect(verify('hmac', past).isValid).toBe(false)
  })

  test('hmac: a timestamp that is not a unix time is refused', () => {
    for (const timestamp of ['', 'yesterday', '-5', '1.5', '2025-06-01T12:00:00Z', '12345678901234567']) {
      const headers = { 'x-timestamp': timestamp, 'x-signature': hmacHex(`${timestamp}.${rawBody}`) }
      expect(verify('hmac', headers).isValid, timestamp).toBe(false)
    }
  })

  test('parseWebhookTimestamp reads seconds and milliseconds', () => {
    expect(parseWebhookTimestamp('1748779200')).toBe(1_748_779_200_000)
    expect(parseWebhookTimestamp('1748779200123')).toBe(1_748_779_200_123)
    expect(parseWebhookTimestamp('abc')).toBeNull()
  })
})

/** Computed independently of the code under test, with Node's crypto directly. */
function hmacHex(payload: string) {
  return createHmac('sha256', secret).update(payload).digest('hex')
}
