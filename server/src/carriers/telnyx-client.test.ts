import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest'
import { startWebhookReceiver } from '../../test/support/start-webhook-receiver.ts'
import { startTelnyxSandbox, type RunningTelnyxSandbox } from '../carrier-sandbox/start-carrier-sandboxes.ts'
import { carrierRejection } from './test-support/carrier-rejection.ts'
import { createTelnyxSandboxAccount } from './create-carrier-sandbox-account.ts'
import { createTelnyxClient, type TelnyxClient } from './telnyx-client.ts'
import {
  parseTelnyxWebhookEvent,
  telnyxSignatureHeader,
  telnyxTimestampHeader,
  verifyTelnyxWebhook,
} from './verify-telnyx-webhook.ts'

// The Telnyx client against the Telnyx sandbox on a real port: Bearer keys, JSON, asynchronous number orders and
// their signed webhooks to a real receiver.

let sandbox: RunningTelnyxSandbox
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
beforeAll(async () => {
  receiver = await startWebhookReceiver()
  sandbox = await startTelnyxSandbox({
    port: 0,
    orderMinDelayMs: 100,
    orderMaxDelayMs: 200,
    webhookRetryDelaysMs: [100, 100],
    webhookUrl: () => receiver.url.replace('/webhooks/vapi', '/webhooks/telnyx'),
  })
})
afterAll(async () => {
  await sandbox.close()
  await receiver.close()
})
afterEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })
  receiver.answer.status = 200
})

async function freshAccount(): Promise<{ client: TelnyxClient; accountId: string; publicKey: string }> {
  const account = await createTelnyxSandboxAccount(sandbox.baseUrl, `test ${Math.random()}`)
  return {
    client: createTelnyxClient({ baseUrl: sandbox.baseUrl, apiKey: account.apiKey }),
    accountId: account.accountId,
    publicKey: account.publicKey,
  }
}

const rejection = carrierRejection

function webhooksFor(orderId: string) {
  return receiver.received.filter((webhook) => parseTelnyxWebhookEvent(webhook.rawBody)?.numberOrder?.id === orderId)
}

const setFaults = (body: unknown) =>
  fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

test('a key the sandbox never made is unauthorized (10009); a made one opens its account', async () => {
  const { client } = await freshAccount()
  await client.checkCredentials()
  const stranger = createTelnyxClient({ baseUrl: sandbox.baseUrl, apiKey: 'KEYnot-a-real-key' })
  expect(await rejection(stranger.checkCredentials())).toMatchObject({
    kind: 'unauthorized',
    code: '10009',
    status: 401,
  })
})

test('search by contains, locality and country, with features and monthly price', async () => {
  const { client } = await freshAccount()
  const vanity = await client.searchAvailable({ country: 'US', type: 'local', contains: 'CAFE', pageSize: 10 })
  expect(vanity.items.length).toBe(10)
  expect(vanity.items.every((item) => item.number.includes('2233'))).toBe(true)
  expect(vanity.nextPage).toBeUndefined()

  const vancouver = await client.searchAvailable({ country: 'CA', type: 'local', locality: 'Vancouver', pageSize: 3 })
  expect(vancouver.items).toHaveLength(3)
  expect(vancouver.items[0]).toMatchObject({
    country: 'CA',
    locality: 'Vancouver',
    region: 'BC',
    capabilities: { voice: true, sms: true, mms: false },
    addressRequired: false,
    monthlyPrice: { amount: '1.15', currency: 'USD' },
  })

  const gbTollFree = await client.searchAvailable({ country: 'GB', type: 'toll-free', pageSize: 4 })
  expect(gbTollFree.items.every((item) => /^\+4480[08]/.test(item.number) && item.addressRequired)).toBe(true)

  // A wildcard pattern: Telnyx gets the longest digit run, the rest is checked by the client.
  const wild = await client.searchAvailable({
    country: 'US',
    type: 'local',
    areaCode: '212',
    contains: '77*77',
    pageSize: 20,
  })
  expect(wild.items.every((item) => /77\d77/.test(item.number))).toBe(true)

  expect((await rejection(client.searchAvailable({ country: 'US', type: 'local', postalCode: '94103' }))).kind).toBe(
    'invalid',
  )
})

test('an order is pending, completes by a signed webhook, and the number is then held; release gives it back', async () => {
  const { client, publicKey } = await freshAccount()
  const [chosen] = (await client.searchAvailable({ country: 'US', type: 'local', areaCode: '617', pageSize: 1 })).items
  if (!chosen) throw new Error('no number found')
  const order = await client.createNumberOrder({ phoneNumbers: [chosen.number], customerReference: 'attempt-1' })
  expect(order).toMatchObject({ status: 'pending', customerReference: 'attempt-1' })
  expect(
    order.phoneNumbers.map(({ phoneNumber, status, requirementsMet }) => ({ phoneNumber, status, requirementsMet })),
  ).toEqual([{ phoneNumber: chosen.number, status: 'pending', requirementsMet: true }])
  expect(order.phoneNumbers[0]?.id).toMatch(/^[0-9a-f-]{36}$/)
  expect(await client.listPhoneNumbers({ phoneNumber: chosen.number })).toEqual([])

  await vi.waitFor(() => expect(webhooksFor(order.id)).toHaveLength(1), { timeout: 3_000 })
  const [webhook] = webhooksFor(order.id)
  if (!webhook) throw new Error('no webhook')
  const signature = webhook.headers[telnyxSignatureHeader]
  const timestamp = webhook.headers[telnyxTimestampHeader]
  expect(typeof signature === 'string' && typeof timestamp === 'string').toBe(true)
  const verified = verifyTelnyxWebhook({
    rawBody: webhook.rawBody,
    signature: String(signature),
    timestamp: String(timestamp),
    publicKey,
  })
  expect(verified.ok).toBe(true)
  // The public key the control route shows is the same one.
  const shown = (await (await fetch(`${sandbox.url}/_sandbox/public-key`)).json()) as { publicKey: string }
  expect(shown.publicKey).toBe(publicKey)
  const event = parseTelnyxWebhookEvent(webhook.rawBody)
  expect(event).toMatchObject({
    eventType: 'number_order.complete',
    attempt: 1,
    numberOrder: { id: order.id, status: 'success' },
  })

  expect((await client.getNumberOrder(order.id)).status).toBe('success')
  const [owned] = await client.listPhoneNumbers({ phoneNumber: chosen.number })
  expect(owned).toMatchObject({ phoneNumber: chosen.number, status: 'active', customerReference: 'attempt-1' })
  expect((await client.listPhoneNumbers({ customerReference: 'attempt-1' })).map((n) => n.id)).toEqual([owned?.id])
  await client.releaseNumber(owned?.id ?? '')
  expect(await client.listPhoneNumbers()).toEqual([])
  expect((await rejection(client.releaseNumber(owned?.id ?? ''))).kind).toBe('not-found')
})

test('only numbers from a recent search of the same account can be ordered (422, nothing ordered)', async () => {
  const first = await freshAccount()
  const second = await freshAccount()
  const [chosen] = (await first.client.searchAvailable({ country: 'US', type: 'local', areaCode: '206', pageSize: 1 }))
    .items
  if (!chosen) throw new Error('no number found')
  const refused = await rejection(second.client.createNumberOrder({ phoneNumbers: [chosen.number] }))
  expect(refused).toMatchObject({ kind: 'invalid', status: 422 })
  expect(refused.message).toMatch(/recent search/)
  const orders = (await (await fetch(`${sandbox.url}/_sandbox/orders`)).json()) as { accountId: string }[]
  expect(orders.filter((order) => order.accountId === second.accountId)).toEqual([])
})

test('a failing order: the magic failure number, and a number another account bought first', async () => {
  const { client } = await freshAccount()
  const magic = (await client.searchAvailable({ country: 'US', type: 'local', areaCode: '500' })).items.map(
    (item) => item.number,
  )
  expect(magic).toEqual(['+15005550006', '+15005550000'])
  const failing = await client.createNumberOrder({ phoneNumbers: ['+15005550000'] })
  await vi.waitFor(async () => expect((await client.getNumberOrder(failing.id)).status).toBe('failure'), {
    timeout: 3_000,
  })
  expect((await client.getNumberOrder(failing.id)).phoneNumbers[0]?.status).toBe('failure')
  expect(await client.listPhoneNumbers()).toEqual([])

  const other = await freshAccount()
  const [chosen] = (await client.searchAvailable({ country: 'US', type: 'local', areaCode: '404', pageSize: 1 })).items
  if (!chosen) throw new Error('no number found')
  await other.client.searchAvailable({ country: 'US', type: 'local', areaCode: '404', pageSize: 1 })
  const winner = await other.client.createNumberOrder({ phoneNumbers: [chosen.number] })
  await vi.waitFor(async () => expect((await other.client.getNumberOrder(winner.id)).status).toBe('success'), {
    timeout: 3_000,
  })
  const loser = await client.createNumberOrder({ phoneNumbers: [chosen.number] })
  await vi.waitFor(async () => expect((await client.getNumberOrder(loser.id)).status).toBe('failure'), {
    timeout: 3_000,
  })
  const [owned] = await other.client.listPhoneNumbers()
  await other.client.releaseNumber(owned?.id ?? '')
})

test('a lost webhook: the order still completes and getNumberOrder sees it; a failed delivery is retried', async () => {
  const { client } = await freshAccount()
  const found = (await client.searchAvailable({ country: 'US', type: 'local', areaCode: '305', pageSize: 2 })).items
  await setFaults({ webhookDropRate: 1 })
  const lost = await client.createNumberOrder({ phoneNumbers: [found[0]?.number ?? ''] })
  await vi.waitFor(async () => expect((await client.getNumberOrder(lost.id)).status).toBe('success'), {
    timeout: 3_000,
  })
  await new Promise((resolve) => setTimeout(resolve, 200))
  expect(webhooksFor(lost.id)).toEqual([])

  await setFaults({ webhookDropRate: 0 })
  receiver.answer.status = 503
  const retried = await client.createNumberOrder({ phoneNumbers: [found[1]?.number ?? ''] })
  await vi.waitFor(() => expect(webhooksFor(retried.id)).toHaveLength(3), { timeout: 3_000 })
  const events = webhooksFor(retried.id).map((webhook) => parseTelnyxWebhookEvent(webhook.rawBody))
  expect(events.map((event) => event?.attempt)).toEqual([1, 2, 3])
  expect(new Set(events.map((event) => event?.id)).size).toBe(1)

  // A duplicated delivery: two copies with the same event id, both signed.
  receiver.answer.status = 200
  await setFaults({ webhookDuplicateRate: 1 })
  const [third] = (
    await client.searchAvailable({ country: 'US', type: 'local', areaCode: '305', pageSize: 3 })
  ).items.slice(2)
  const duplicated = await client.createNumberOrder({ phoneNumbers: [third?.number ?? ''] })
  await vi.waitFor(() => expect(webhooksFor(duplicated.id)).toHaveLength(2), { timeout: 3_000 })
  const copies = webhooksFor(duplicated.id).map((webhook) => parseTelnyxWebhookEvent(webhook.rawBody)?.id)
  expect(copies[0]).toBe(copies[1])
  for (const number of await client.listPhoneNumbers()) await client.releaseNumber(number.id)
})
