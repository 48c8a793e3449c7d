import { Webhook } from 'standardwebhooks'
import { expect, test } from 'vitest'
import { generateSigningSecret, signWebhook } from './sign-webhook.ts'

test('the reference verifier accepts the signature, with either secret during a rotation', () => {
  const [oldSecret, newSecret, strangerSecret] = [
    generateSigningSecret(),
    generateSigningSecret(),
    generateSigningSecret(),
  ]
  const body = JSON.stringify({ type: 'phone-number.live', timestamp: new Date().toISOString(), data: {} })
  const headers = signWebhook({ webhookId: 'msg_1', sentAt: new Date(), body, secrets: [newSecret, oldSecret] })
  expect(headers['webhook-signature'].split(' ')).toHaveLength(2)
  expect(new Webhook(newSecret).verify(body, headers)).toEqual(JSON.parse(body))
  expect(new Webhook(oldSecret).verify(body, headers)).toEqual(JSON.parse(body))
  expect(() => new Webhook(strangerSecret).verify(body, headers)).toThrow()
  expect(() => new Webhook(newSecret).verify(`${body} `, headers)).toThrow()
})

test('a secret is whsec_ and 32 random bytes', () => {
  const secret = generateSigningSecret()
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
  expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32)
  expect(generateSigningSecret()).not.toBe(secret)
})
