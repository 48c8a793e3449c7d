import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { z } from 'zod'
import { createTestDatabase } from '../../test/support/test-databases.ts'
import { startTestServer } from '../../test/support/test-server.ts'
import { createTelnyxSandboxAccount, createTwilioSandboxAccount } from '../carriers/create-carrier-sandbox-account.ts'
import { createTelnyxClient } from '../carriers/telnyx-client.ts'
import { createTwilioClient } from '../carriers/twilio-client.ts'
import { verifyTelnyxWebhook } from '../carriers/verify-telnyx-webhook.ts'

// Sandbox mode starts the Twilio and Telnyx sandboxes in-process: the server knows their URLs and the Telnyx key,
// the Vapi sandbox checks imports with them, and Telnyx's order webhooks go to this server's /webhooks/telnyx.

let server: Awaited<ReturnType<typeof startTestServer>>
beforeAll(async () => {
  server = await startTestServer(await createTestDatabase('pglite'), {
    authSecret: 'carrier-sandboxes-test-auth-secret-0123456789',
    webhookSecret: 'carrier-sandboxes-webhook',
    vapiApiKey: 'sandbox-private-key',
    telnyxSandbox: { orderMinDelayMs: 50, orderMaxDelayMs: 100 },
  })
})
afterAll(() => server.stop({ dropConnections: true }))

test('the in-process carrier sandboxes answer at the URLs the server uses, with the key it verifies with', async () => {
  expect(server.carrierSandboxes?.twilio?.baseUrl).toBe(server.twilioBaseUrl)
  expect(server.carrierSandboxes?.telnyx?.baseUrl).toBe(server.telnyxBaseUrl)
  expect(server.telnyxPublicKey).toBe(server.carrierSandboxes?.telnyx?.publicKey)
  expect(server.twilioBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  expect(server.telnyxBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/)
  expect(server.twilioBaseUrl).not.toBe(server.vapiBaseUrl)

  const twilioAccount = await createTwilioSandboxAccount(server.twilioBaseUrl, 'Org A')
  await createTwilioClient({
    baseUrl: server.twilioBaseUrl,
    credentials: { accountSid: twilioAccount.accountSid, authToken: twilioAccount.authToken },
  }).checkCredentials()
})

test("a Telnyx order's webhook goes to the server's /webhooks/telnyx, signed with the key the server holds", async () => {
  const account = await createTelnyxSandboxAccount(server.telnyxBaseUrl, 'Org B')
  const client = createTelnyxClient({ baseUrl: server.telnyxBaseUrl, apiKey: account.apiKey })
  const [found] = (await client.searchAvailable({ country: 'GB', type: 'mobile', pageSize: 1 })).items
  if (!found) throw new Error('no number found')
  const order = await client.createNumberOrder({ phoneNumbers: [found.number] })
  const sandboxUrl = server.carrierSandboxes?.telnyx?.url ?? ''
  const deliveries = z.array(z.object({ orderId: z.string(), url: z.string(), attempt: z.number() }))
  await vi.waitFor(
    async () => {
      const log = deliveries.parse(await (await fetch(`${sandboxUrl}/_sandbox/webhooks`)).json())
      expect(log.find((entry) => entry.orderId === order.id)?.url).toBe(`${server.publicUrl}/webhooks/telnyx`)
    },
    { timeout: 10_000 },
  )
  // The key is a real Ed25519 key: a signature made with another key does not verify with it.
  expect(
    verifyTelnyxWebhook({
      rawBody: '{}',
      signature: 'A'.repeat(88),
      timestamp: String(Math.floor(Date.now() / 1000)),
      publicKey: server.telnyxPublicKey ?? '',
    }).ok,
  ).toBe(false)
  for (const number of await client.listPhoneNumbers()) await client.releaseNumber(number.id)
})
