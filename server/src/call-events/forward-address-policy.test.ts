import { afterAll, beforeAll, expect, test } from 'vitest'
import { startWebhookReceiver } from '../../test/support/start-webhook-receiver.ts'
import { createCredentialBox } from '../credentials/credential-box.ts'
import { systemClock } from '../lib/clock.ts'
import { forwardCallMessage } from './forward-call-message.ts'

// The forward URL is checked when it is saved (call-event-settings.test.ts); this is the check at send time, for a
// URL saved while it was allowed or a name that resolves to a private address later: nothing reaches it.

const box = createCredentialBox({ current: 'forward-address-policy-key-0123456789abcdef' })
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>

beforeAll(async () => {
  receiver = await startWebhookReceiver()
})
afterAll(async () => {
  await receiver.close()
})

const body = JSON.stringify({ message: { type: 'status-update', status: 'ringing', call: { id: 'call-1' } } })
const options = { timeoutMs: 2_000, expectsJson: false }

test.each([
  ['a loopback address', () => receiver.url],
  ['a name that resolves to loopback', () => receiver.url.replace('127.0.0.1', 'localhost')],
  ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data'],
  ['a private range', () => 'http://10.0.0.7/hook'],
  ['an IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${new URL(receiver.url).port}/hook`],
])('a call event is never forwarded to %s while private addresses are not allowed', async (_label, url) => {
  const settings = {
    forward_url: url(),
    forward_auth_type: 'bearer' as const,
    forward_secret_ciphertext: box.seal('forward-address-policy-token'),
  }
  const before = receiver.received.length
  const refused = await forwardCallMessage(
    { box, clock: systemClock, addressPolicy: { allowPrivateAddresses: false } },
    settings,
    body,
    options,
  )
  expect(refused).toMatchObject({ isSuccess: false, status: null })
  expect(refused.isSuccess ? '' : refused.error).toMatch(/private, loopback or link-local/)
  expect(receiver.received.length).toBe(before)
})

test('the same forward reaches a loopback receiver when private addresses are allowed (the control)', async () => {
  const forwarded = await forwardCallMessage(
    { box, clock: systemClock, addressPolicy: { allowPrivateAddresses: true } },
    { forward_url: receiver.url, forward_auth_type: 'bearer', forward_secret_ciphertext: box.seal('control-token') },
    body,
    options,
  )
  expect(forwarded).toMatchObject({ isSuccess: true, status: 200 })
  expect(receiver.received.at(-1)?.headers.authorization).toBe('Bearer control-token')
})
