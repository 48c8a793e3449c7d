import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto'
import { z } from 'zod'
import { telnyxNumberOrderSchema, toTelnyxNumberOrder, type TelnyxNumberOrder } from './telnyx-client.ts'

// Telnyx signs each webhook with the account's Ed25519 key: `telnyx-signature-ed25519` is the base64 signature of
// "{telnyx-timestamp}|{raw body}", `telnyx-timestamp` unix seconds. The public key is the one Telnyx's portal shows
// (base64 of the 32 raw bytes). Verification uses node:crypto; the sandbox signs with signTelnyxWebhook.

export const telnyxSignatureHeader = 'telnyx-signature-ed25519'
export const telnyxTimestampHeader = 'telnyx-timestamp'

/** Telnyx's libraries reject timestamps more than five minutes old. */
export const telnyxWebhookToleranceSeconds = 300

export type TelnyxWebhookVerification =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'missing-headers' | 'bad-timestamp' | 'stale' | 'bad-signature' }

// The DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it.
const ed25519SpkiPrefix = Buffer.from('302a300506032b6570032100', 'hex')

/** A Telnyx public key as the portal gives it (base64 of 32 bytes), or a PEM. Throws when it is neither. */
export function telnyxPublicKey(publicKey: string): KeyObject {
  const trimmed = publicKey.trim()
  if (trimmed.startsWith('-----BEGIN')) return createPublicKey(trimmed)
  const raw = Buffer.from(trimmed, 'base64')
  if (raw.length !== 32) throw new Error('expected a Telnyx public key: base64 of 32 bytes (or a PEM)')
  return createPublicKey({ key: Buffer.concat([ed25519SpkiPrefix, raw]), format: 'der', type: 'spki' })
}

export function isTelnyxPublicKey(publicKey: string): boolean {
  try {
    return telnyxPublicKey(publicKey).asymmetricKeyType === 'ed25519'
  } catch {
    return false
  }
}

export function verifyTelnyxWebhook(input: {
  rawBody: string | Uint8Array
  signature: string | null | undefined
  timestamp: string | null | undefined
  /** base64 of 32 bytes, a PEM, or a KeyObject made by telnyxPublicKey. */
  publicKey: string | KeyObject
  nowMs?: number
  toleranceSeconds?: number
}): TelnyxWebhookVerification {
  const { signature, timestamp } = input
  if (!signature || !timestamp) return { ok: false, reason: 'missing-headers' }
  if (!/^\d{1,12}$/.test(timestamp.trim())) return { ok: false, reason: 'bad-timestamp' }
  const seconds = Number(timestamp.trim())
  const tolerance = input.toleranceSeconds ?? telnyxWebhookToleranceSeconds
  const nowSeconds = (input.nowMs ?? Date.now()) / 1000
  if (Math.abs(nowSeconds - seconds) > tolerance) return { ok: false, reason: 'stale' }
  const key = typeof input.publicKey === 'string' ? telnyxPublicKey(input.publicKey) : input.publicKey
  const body = typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : Buffer.from(input.rawBody)
  const signed = Buffer.concat([Buffer.from(`${timestamp.trim()}|`, 'utf8'), body])
  const signatureBytes = Buffer.from(signature.trim(), 'base64')
  if (signatureBytes.length !== 64) return { ok: false, reason: 'bad-signature' }
  return verify(null, signed, key, signatureBytes)
    ? { ok: true, timestamp: seconds }
    : { ok: false, reason: 'bad-signature' }
}

/** A key pair in Telnyx's form: the public key as base64 of its 32 raw bytes, the private key as base64 PKCS#8 DER. */
export function generateTelnyxKeyPair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const spki = publicKey.export({ format: 'der', type: 'spki' })
  return {
    publicKey: spki.subarray(ed25519SpkiPrefix.length).toString('base64'),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  }
}

/** The two headers of a signed delivery (the sandbox's side). */
export function signTelnyxWebhook(input: { rawBody: string; timestampSeconds: number; privateKey: string }) {
  const key = createPrivateKey({ key: Buffer.from(input.privateKey, 'base64'), format: 'der', type: 'pkcs8' })
  const timestamp = String(Math.floor(input.timestampSeconds))
  const signature = sign(null, Buffer.from(`${timestamp}|${input.rawBody}`, 'utf8'), key).toString('base64')
  return { [telnyxSignatureHeader]: signature, [telnyxTimestampHeader]: timestamp }
}

const telnyxEventSchema = z.looseObject({
  data: z.looseObject({
    id: z.string(),
    event_type: z.string(),
    occurred_at: z.string().nullish(),
    record_type: z.string().nullish(),
    payload: z.unknown(),
  }),
  meta: z.looseObject({ attempt: z.number().nullish(), delivered_to: z.string().nullish() }).nullish(),
})

export interface TelnyxWebhookEvent {
  /** The event's id: the same on every retry of one event (de-duplicate by it). */
  id: string
  eventType: string
  occurredAt: string | null
  attempt: number | null
  /** Set for `number_order.complete`; null for other events. */
  numberOrder: TelnyxNumberOrder | null
}

/** Reads a verified body; null when it is not a Telnyx event envelope. */
export function parseTelnyxWebhookEvent(rawBody: string): TelnyxWebhookEvent | null {
  let json: unknown
  try {
    json = JSON.parse(rawBody)
  } catch {
    return null
  }
  const parsed = telnyxEventSchema.safeParse(json)
  if (!parsed.success) return null
  const { data, meta } = parsed.data
  const order = data.event_type === 'number_order.complete' ? telnyxNumberOrderSchema.safeParse(data.payload) : null
  if (order && !order.success) return null
  return {
    id: data.id,
    eventType: data.event_type,
    occurredAt: data.occurred_at ?? null,
    attempt: meta?.attempt ?? null,
    numberOrder: order?.success ? toTelnyxNumberOrder(order.data) : null,
  }
}
