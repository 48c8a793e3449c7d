import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, expect, test, vi } from 'vitest'
import { startWebhookReceiver } from '../../test/support/start-webhook-receiver.ts'
import { createTelnyxSandboxAccount, createTwilioSandboxAccount } from '../carriers/create-carrier-sandbox-account.ts'
import { createTelnyxClient } from '../carriers/telnyx-client.ts'
import { createTwilioClient } from '../carriers/twilio-client.ts'
import { parseTelnyxWebhookEvent, verifyTelnyxWebhook } from '../carriers/verify-telnyx-webhook.ts'
import { CarrierSandboxStateFileError } from './carrier-sandbox-state-file.ts'
import { startTelnyxSandbox, startTwilioSandbox } from './start-carrier-sandboxes.ts'

// The carrier sandboxes keep accounts, numbers, orders and the Telnyx key pair across restarts in their state file.

const dir = mkdtempSync(path.join(tmpdir(), 'carrier-sandbox-state-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('Twilio: accounts and held numbers survive a restart; the file is the owner’s only; a damaged file stops the start', async () => {
  const stateFile = path.join(dir, 'twilio.json')
  let sandbox = await startTwilioSandbox({ port: 0, stateFile })
  const account = await createTwilioSandboxAccount(sandbox.baseUrl, 'Kept')
  const credentials = {
    accountSid: account.accountSid,
    apiKeySid: account.apiKeySid,
    apiKeySecret: account.apiKeySecret,
  }
  let client = createTwilioClient({ baseUrl: sandbox.baseUrl, credentials })
  const [found] = (await client.searchAvailable({ country: 'CA', type: 'local', areaCode: '514', pageSize: 1 })).items
  if (!found) throw new Error('no number found')
  const bought = await client.buyNumber({ phoneNumber: found.number })
  await sandbox.close()
  expect(statSync(stateFile).mode & 0o777).toBe(0o600)

  sandbox = await startTwilioSandbox({ port: 0, stateFile })
  client = createTwilioClient({ baseUrl: sandbox.baseUrl, credentials })
  expect((await client.listIncoming()).map((number) => number.sid)).toEqual([bought.sid])
  // Still held after the restart: nobody else can buy it.
  const other = await createTwilioSandboxAccount(sandbox.baseUrl, 'Other')
  const otherClient = createTwilioClient({
    baseUrl: sandbox.baseUrl,
    credentials: { accountSid: other.accountSid, authToken: other.authToken },
  })
  await expect(otherClient.buyNumber({ phoneNumber: found.number })).rejects.toMatchObject({ kind: 'unavailable' })
  await client.releaseNumber(bought.sid)
  await sandbox.close()

  const damaged = path.join(dir, 'damaged.json')
  writeFileSync(damaged, '{"version": 2}')
  await expect(startTwilioSandbox({ port: 0, stateFile: damaged })).rejects.toBeInstanceOf(CarrierSandboxStateFileError)
})

test('Telnyx: a pending order survives a restart and completes after it, signed with the same key pair', async () => {
  const receiver = await startWebhookReceiver()
  const stateFile = path.join(dir, 'telnyx.json')
  const options = { port: 0, stateFile, orderMinDelayMs: 1_000, orderMaxDelayMs: 1_000, webhookUrl: receiver.url }
  let sandbox = await startTelnyxSandbox(options)
  const publicKey = sandbox.publicKey
  const account = await createTelnyxSandboxAccount(sandbox.baseUrl, 'Kept')
  let client = createTelnyxClient({ baseUrl: sandbox.baseUrl, apiKey: account.apiKey })
  const [found] = (await client.searchAvailable({ country: 'US', type: 'toll-free', pageSize: 1 })).items
  if (!found) throw new Error('no number found')
  const order = await client.createNumberOrder({ phoneNumbers: [found.number] })
  await sandbox.close()
  expect(receiver.received).toEqual([])

  sandbox = await startTelnyxSandbox(options)
  expect(sandbox.publicKey).toBe(publicKey)
  client = createTelnyxClient({ baseUrl: sandbox.baseUrl, apiKey: account.apiKey })
  await vi.waitFor(async () => expect((await client.getNumberOrder(order.id)).status).toBe('success'), {
    timeout: 5_000,
  })
  await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 5_000 })
  const [webhook] = receiver.received
  const verified = verifyTelnyxWebhook({
    rawBody: webhook?.rawBody ?? '',
    signature: String(webhook?.headers['telnyx-signature-ed25519']),
    timestamp: String(webhook?.headers['telnyx-timestamp']),
    publicKey,
  })
  expect(verified.ok).toBe(true)
  expect(parseTelnyxWebhookEvent(webhook?.rawBody ?? '')?.numberOrder?.id).toBe(order.id)
  for (const number of await client.listPhoneNumbers()) await client.releaseNumber(number.id)
  await sandbox.close()
  await receiver.close()
})

test('control routes: faults refuse nonsense, accounts list no secrets, numbers list held and released', async () => {
  const sandbox = await startTelnyxSandbox({ port: 0, orderMinDelayMs: 10, orderMaxDelayMs: 10 })
  const refused = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    body: JSON.stringify({ errorRate: 2 }),
  })
  expect(refused.status).toBe(400)
  const unknown = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ chaos: 1 }) })
  expect(unknown.status).toBe(400)

  const account = await createTelnyxSandboxAccount(sandbox.baseUrl, 'Listed')
  const client = createTelnyxClient({ baseUrl: sandbox.baseUrl, apiKey: account.apiKey })
  const [found] = (await client.searchAvailable({ country: 'GB', type: 'local', locality: 'Edinburgh', pageSize: 1 }))
    .items
  if (!found) throw new Error('no number found')
  const order = await client.createNumberOrder({ phoneNumbers: [found.number] })
  await vi.waitFor(async () => expect((await client.getNumberOrder(order.id)).status).toBe('success'))
  const [owned] = await client.listPhoneNumbers()
  await client.releaseNumber(owned?.id ?? '')

  const accounts = await (await fetch(`${sandbox.url}/_sandbox/accounts`)).text()
  expect(accounts).toContain(account.accountId)
  expect(accounts).not.toContain(account.apiKey)
  const numbers = (await (await fetch(`${sandbox.url}/_sandbox/numbers?accountId=${account.accountId}`)).json()) as {
    phoneNumber: string
    releasedAt: string | null
  }[]
  expect(numbers.map((number) => number.phoneNumber)).toEqual([found.number])
  expect(numbers[0]?.releasedAt).not.toBeNull()
  await sandbox.close()
})
