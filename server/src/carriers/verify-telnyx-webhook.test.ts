import { expect, test } from 'vitest'
import {
  generateTelnyxKeyPair,
  isTelnyxPublicKey,
  signTelnyxWebhook,
  verifyTelnyxWebhook,
} from './verify-telnyx-webhook.ts'

const keys = generateTelnyxKeyPair()
const rawBody = JSON.stringify({ data: { event_type: 'number_order.complete', id: 'e1', payload: {} } })
const nowMs = 1_800_000_000_000
const signed = signTelnyxWebhook({ rawBody, timestampSeconds: nowMs / 1000, privateKey: keys.privateKey })
const signature = signed['telnyx-signature-ed25519'] ?? ''
const timestamp = signed['telnyx-timestamp'] ?? ''

test('a signature over "{timestamp}|{raw body}" verifies with the base64 public key', () => {
  expect(Buffer.from(keys.publicKey, 'base64')).toHaveLength(32)
  expect(isTelnyxPublicKey(keys.publicKey)).toBe(true)
  expect(verifyTelnyxWebhook({ rawBody, signature, timestamp, publicKey: keys.publicKey, nowMs })).toEqual({
    ok: true,
    timestamp: nowMs / 1000,
  })
  expect(
    verifyTelnyxWebhook({ rawBody: Buffer.from(rawBody), signature, timestamp, publicKey: keys.publicKey, nowMs }).ok,
  ).toBe(true)
})

test('a changed body, another key, a changed timestamp or garbage does not verify', () => {
  const verifyWith = (changes: Partial<Parameters<typeof verifyTelnyxWebhook>[0]>) =>
    verifyTelnyxWebhook({ rawBody, signature, timestamp, publicKey: keys.publicKey, nowMs, ...changes })
  expect(verifyWith({ rawBody: rawBody.replace('e1', 'e2') })).toEqual({ ok: false, reason: 'bad-signature' })
  expect(verifyWith({ publicKey: generateTelnyxKeyPair().publicKey })).toEqual({ ok: false, reason: 'bad-signature' })
  expect(verifyWith({ timestamp: String(Number(timestamp) + 1) })).toEqual({ ok: false, reason: 'bad-signature' })
  expect(verifyWith({ signature: 'bm90IGEgc2lnbmF0dXJl' })).toEqual({ ok: false, reason: 'bad-signature' })
  expect(verifyWith({ signature: undefined })).toEqual({ ok: false, reason: 'missing-headers' })
  expect(verifyWith({ timestamp: 'yesterday' })).toEqual({ ok: false, reason: 'bad-timestamp' })
})

test('more than five minutes either way is stale, even with a good signature', () => {
  expect(
    verifyTelnyxWebhook({ rawBody, signature, timestamp, publicKey: keys.publicKey, nowMs: nowMs + 301_000 }),
  ).toEqual({ ok: false, reason: 'stale' })
  expect(
    verifyTelnyxWebhook({ rawBody, signature, timestamp, publicKey: keys.publicKey, nowMs: nowMs - 301_000 }),
  ).toEqual({ ok: false, reason: 'stale' })
  expect(
    verifyTelnyxWebhook({ rawBody, signature, timestamp, publicKey: keys.publicKey, nowMs: nowMs + 299_000 }).ok,
  ).toBe(true)
})

test('a public key that is not 32 bytes of base64 is refused', () => {
  expect(isTelnyxPublicKey('c2hvcnQ=')).toBe(false)
  expect(isTelnyxPublicKey('')).toBe(false)
})
