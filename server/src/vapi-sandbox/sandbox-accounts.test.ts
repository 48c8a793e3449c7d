import { afterAll, beforeAll, expect, test } from 'vitest'
import { z } from 'zod'
import { parseEnv } from '../env.ts'
import { startVapiSandbox, type RunningVapiSandbox } from './start-vapi-sandbox.ts'
import {
  buySandboxNumber,
  createSandboxAccount,
  sandboxAssistantShape,
  sandboxCall,
  sandboxPhoneNumberShape,
  vapiErrorShape,
} from './test-support/sandbox-client.ts'

const webhookSecret = 'sandbox-accounts-secret'
const invalidKeyMessage =
  'Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.'
let sandbox: RunningVapiSandbox

beforeAll(async () => {
  // Vapi's real free-number limit, as `pnpm start` and `pnpm sandbox` have it by default.
  sandbox = await startVapiSandbox({
    port: 0,
    minDelayMs: 60_000,
    maxDelayMs: 60_000,
    webhookSecret,
    freeNumberLimit: 5,
  })
})
afterAll(() => sandbox.close())

const api = (method: string, path: string, options?: { key?: string | null; body?: unknown }) =>
  sandboxCall(sandbox.url, method, path, options)

const accountListShape = z.array(
  z.strictObject({
    accountId: z.string(),
    orgId: z.string(),
    name: z.string(),
    keyHint: z.string().length(4),
    isImplicit: z.boolean(),
    createdAt: z.string(),
    numbers: z.number(),
    releasedNumbers: z.number(),
    assistants: z.number(),
    freeNumberLimit: z.number(),
  }),
)

test('POST /_sandbox/accounts makes an account with a fresh key and named assistants; the list never shows keys', async () => {
  const first = await createSandboxAccount(sandbox.url, 'Acme Dental')
  const second = await createSandboxAccount(sandbox.url)
  expect(first.name).toBe('Acme Dental')
  expect(second.name).toMatch(/^Sandbox account \d+$/)
  expect(first.apiKey).not.toBe(second.apiKey)
  expect(first.orgId).not.toBe(second.orgId)
  expect(first.assistants.map((assistant) => assistant.name)).toEqual([
    'Front desk',
    'After-hours line',
    'Appointment setter',
  ])
  expect(new Set([...first.assistants, ...second.assistants].map((assistant) => assistant.id)).size).toBe(6)

  const listed = await fetch(`${sandbox.url}/_sandbox/accounts`)
  const text = await listed.text()
  expect(text).not.toContain(first.apiKey)
  expect(text).not.toContain(second.apiKey)
  const mine = accountListShape.parse(JSON.parse(text)).find((account) => account.accountId === first.accountId)
  expect(mine).toMatchObject({
    orgId: first.orgId,
    name: 'Acme Dental',
    keyHint: first.apiKey.slice(-4),
    isImplicit: false,
    numbers: 0,
    assistants: 3,
    freeNumberLimit: 5,
  })

  expect((await api('POST', '/_sandbox/accounts', { body: { name: 'x', apiKey: 'mine' } })).status).toBe(400)
  expect((await api('POST', '/_sandbox/accounts', { body: { name: '' } })).status).toBe(400)
})

test('two accounts never see each other’s numbers or assistants (404 for the other’s ids, as Vapi answers)', async () => {
  const alpha = await createSandboxAccount(sandbox.url, 'Alpha')
  const beta = await createSandboxAccount(sandbox.url, 'Beta')
  const bought = await buySandboxNumber(sandbox.url, alpha.apiKey, { numberDesiredAreaCode: '303' })
  expect(bought.orgId).toBe(alpha.orgId)

  for (const [method, body] of [
    ['GET', undefined],
    ['PATCH', { name: 'Taken over' }],
    ['DELETE', undefined],
  ] as const) {
    const answer = await api(method, `/phone-number/${bought.id}`, { key: beta.apiKey, body })
    expect(answer.status, method).toBe(404)
    expect(vapiErrorShape.parse(answer.json)).toMatchObject({ error: 'Not Found', statusCode: 404 })
  }
  expect((await api('GET', '/phone-number', { key: beta.apiKey })).json).toEqual([])
  expect((await api('GET', `/phone-number/${bought.id}`, { key: alpha.apiKey })).status).toBe(200)

  const alphaAssistant = alpha.assistants[0]?.id ?? ''
  const foreign = await api('GET', `/assistant/${alphaAssistant}`, { key: beta.apiKey })
  expect(foreign.status).toBe(404)
  expect(vapiErrorShape.parse(foreign.json)).toEqual({
    message: 'Assistant not found',
    error: 'Not Found',
    statusCode: 404,
  })
  const betaList = z.array(sandboxAssistantShape).parse((await api('GET', '/assistant', { key: beta.apiKey })).json)
  expect(betaList.map((assistant) => assistant.id).sort()).toEqual(beta.assistants.map((a) => a.id).sort())
  expect(betaList.every((assistant) => assistant.orgId === beta.orgId)).toBe(true)

  // Routing beta's number to alpha's assistant is refused like any unknown assistant.
  const betaNumber = await buySandboxNumber(sandbox.url, beta.apiKey)
  const crossed = await api('PATCH', `/phone-number/${betaNumber.id}`, {
    key: beta.apiKey,
    body: { assistantId: alphaAssistant },
  })
  expect(crossed.status).toBe(400)

  const inventory = z
    .array(sandboxPhoneNumberShape.extend({ accountId: z.string() }))
    .parse(await (await fetch(`${sandbox.url}/_sandbox/phone-numbers`)).json())
  expect(inventory.find((held) => held.id === bought.id)?.accountId).toBe(alpha.accountId)
  expect(inventory.find((held) => held.id === betaNumber.id)?.accountId).toBe(beta.accountId)
})

test('GET /assistant is a bare array of Vapi assistants, newest first, honouring limit; POST /assistant adds one', async () => {
  const account = await createSandboxAccount(sandbox.url)
  const key = account.apiKey
  const created = await api('POST', '/assistant', { key, body: { name: 'Spanish line', firstMessage: '¡Hola!' } })
  expect(created.status).toBe(201)
  const assistant = sandboxAssistantShape.parse(created.json)
  expect(assistant).toMatchObject({ name: 'Spanish line', firstMessage: '¡Hola!', orgId: account.orgId })

  const all = z.array(sandboxAssistantShape).parse((await api('GET', '/assistant', { key })).json)
  expect(all).toHaveLength(4)
  expect(all[0]?.id).toBe(assistant.id)
  expect((await api('GET', '/assistant?limit=2', { key })).json).toHaveLength(2)
  expect((await api('GET', '/assistant?limit=0', { key })).json).toEqual([])
  expect((await api('GET', '/assistant?limit=1001', { key })).status).toBe(400)
  expect((await api('GET', `/assistant?createdAtGt=${encodeURIComponent(assistant.createdAt)}`, { key })).json).toEqual(
    [],
  )

  expect((await api('GET', `/assistant/${assistant.id}`, { key })).json).toEqual(assistant)
  expect((await api('GET', '/assistant/not-a-uuid', { key })).status).toBe(400)
  const unknownProperty = await api('POST', '/assistant', { key, body: { name: 'x', foo: 1 } })
  expect(unknownProperty.status).toBe(400)
  expect(vapiErrorShape.parse(unknownProperty.json).message).toEqual(['property foo should not exist'])
  const longName = await api('POST', '/assistant', { key, body: { name: 'x'.repeat(41) } })
  expect(vapiErrorShape.parse(longName.json).message).toEqual(['name must be shorter than or equal to 40 characters'])
  expect((await api('GET', '/assistant', { key: 'invalid' })).status).toBe(401)
  expect((await api('GET', '/assistant', { key: null })).status).toBe(401)
})

test('PATCH /phone-number/{id}: routes to an assistant, null clears assistantId and server, updatedAt moves on', async () => {
  const account = await createSandboxAccount(sandbox.url)
  const key = account.apiKey
  const [frontDesk, afterHours] = account.assistants
  const bought = await buySandboxNumber(sandbox.url, key, {
    name: 'Main line',
    assistantId: frontDesk?.id,
    server: { url: 'http://127.0.0.1:9/webhooks/vapi' },
  })
  expect(bought.assistantId).toBe(frontDesk?.id)

  const moved = await api('PATCH', `/phone-number/${bought.id}`, {
    key,
    body: { assistantId: afterHours?.id, name: 'Evening line' },
  })
  expect(moved.status).toBe(200)
  const afterMove = sandboxPhoneNumberShape.parse(moved.json)
  expect(afterMove).toMatchObject({ id: bought.id, assistantId: afterHours?.id, name: 'Evening line' })
  expect(Date.parse(afterMove.updatedAt)).toBeGreaterThanOrEqual(Date.parse(bought.updatedAt))
  expect(afterMove.createdAt).toBe(bought.createdAt)

  const cleared = sandboxPhoneNumberShape.parse(
    (await api('PATCH', `/phone-number/${bought.id}`, { key, body: { assistantId: null, server: null } })).json,
  )
  expect(cleared).not.toHaveProperty('assistantId')
  expect(cleared).not.toHaveProperty('server')
  expect(cleared.name).toBe('Evening line')
  expect((await api('GET', `/phone-number/${bought.id}`, { key })).json).toEqual(cleared)

  const squad = '5d2c7a51-6f7e-4c1a-9a1e-2b3c4d5e6f70'
  const routed = await api('PATCH', `/phone-number/${bought.id}`, { key, body: { squadId: squad, workflowId: squad } })
  expect(routed.json).toMatchObject({ squadId: squad, workflowId: squad })

  const unknownAssistant = '0b5f2f0e-8f0a-4d5e-9a53-4a3c2f1d9e77'
  const refused = await api('PATCH', `/phone-number/${bought.id}`, { key, body: { assistantId: unknownAssistant } })
  expect(refused.status).toBe(400)
  expect(vapiErrorShape.parse(refused.json)).toEqual({
    message: `Couldn't find assistant ${unknownAssistant} in this organization. Use the id of one of your assistants (GET /assistant).`,
    error: 'Bad Request',
    statusCode: 400,
  })
  const unknownProperty = await api('PATCH', `/phone-number/${bought.id}`, { key, body: { foo: 'bar' } })
  expect(unknownProperty.status).toBe(400)
  expect(unknownProperty.json).toEqual({
    message: ['property foo should not exist'],
    error: 'Bad Request',
    statusCode: 400,
  })
  const badServer = await api('PATCH', `/phone-number/${bought.id}`, { key, body: { server: { url: 'nope' } } })
  expect(vapiErrorShape.parse(badServer.json).message).toEqual(['server.url must be a URL address'])
  // Nothing a refused PATCH carried was kept.
  const unchanged = sandboxPhoneNumberShape.parse((await api('GET', `/phone-number/${bought.id}`, { key })).json)
  expect(unchanged).not.toHaveProperty('assistantId')
  expect(unchanged).not.toHaveProperty('foo')

  const refusedCreate = await api('POST', '/phone-number', {
    key,
    body: { provider: 'vapi', numberDesiredAreaCode: '415', assistantId: unknownAssistant },
  })
  expect(refusedCreate.status).toBe(400)
  expect(vapiErrorShape.parse(refusedCreate.json).message).toMatch(/^Couldn't find assistant/)
  expect((await api('GET', '/phone-number', { key })).json).toHaveLength(1)
})

test('the free-number limit is per account: the sixth is refused with what to do; releasing one makes room', async () => {
  expect(parseEnv({}).SANDBOX_FREE_NUMBER_LIMIT).toBe(5)
  const account = await createSandboxAccount(sandbox.url)
  const bought = []
  for (let index = 0; index < 5; index++) bought.push(await buySandboxNumber(sandbox.url, account.apiKey))
  const sixth = await api('POST', '/phone-number', {
    key: account.apiKey,
    body: { provider: 'vapi', numberDesiredAreaCode: '415' },
  })
  expect(sixth.status).toBe(400)
  expect(sixth.json).toEqual({
    message:
      "You've reached your free number limit of 5 numbers. Delete a number or import one from Twilio, Vonage or Telnyx to add more.",
    error: 'Bad Request',
    statusCode: 400,
  })
  expect((await api('GET', '/phone-number', { key: account.apiKey })).json).toHaveLength(5)

  // Another account is not held back by this one's numbers.
  await buySandboxNumber(sandbox.url, (await createSandboxAccount(sandbox.url)).apiKey)
  expect((await api('DELETE', `/phone-number/${bought[0]?.id}`, { key: account.apiKey })).status).toBe(200)
  await buySandboxNumber(sandbox.url, account.apiKey)
  const listed = accountListShape.parse(await (await fetch(`${sandbox.url}/_sandbox/accounts`)).json())
  expect(listed.find((each) => each.accountId === account.accountId)).toMatchObject({
    numbers: 5,
    releasedNumbers: 1,
  })
})

test('the request log names the account (and key’s last four) behind each purchase, poll and release', async () => {
  const owner = await createSandboxAccount(sandbox.url, 'Owner')
  const other = await createSandboxAccount(sandbox.url, 'Other')
  await api('DELETE', '/_sandbox/requests')
  const bought = await buySandboxNumber(sandbox.url, owner.apiKey)
  await api('GET', `/phone-number/${bought.id}`, { key: owner.apiKey })
  await api('GET', `/phone-number/${bought.id}`, { key: other.apiKey })
  await api('DELETE', `/phone-number/${bought.id}`, { key: owner.apiKey })
  await api('GET', '/phone-number', { key: 'invalid' })

  const log = z
    .object({
      total: z.number(),
      counts: z.record(z.string(), z.number()),
      countsByAccount: z.record(z.string(), z.record(z.string(), z.number())),
      requests: z.array(
        z.object({
          method: z.string(),
          route: z.string(),
          status: z.number(),
          accountId: z.string().nullable(),
          keyHint: z.string().nullable(),
        }),
      ),
    })
    .parse(await (await fetch(`${sandbox.url}/_sandbox/requests`)).json())
  const row = (method: string, route: string, status: number, account: { accountId: string; apiKey: string }) => ({
    method,
    route,
    status,
    accountId: account.accountId,
    keyHint: account.apiKey.slice(-4),
  })
  expect(
    log.requests.map(({ method, route, status, accountId, keyHint }) => ({
      method,
      route,
      status,
      accountId,
      keyHint,
    })),
  ).toEqual([
    row('POST', '/phone-number', 201, owner),
    row('GET', '/phone-number/:id', 200, owner),
    row('GET', '/phone-number/:id', 404, other),
    row('DELETE', '/phone-number/:id', 200, owner),
    { method: 'GET', route: '/phone-number', status: 401, accountId: null, keyHint: null },
  ])
  expect(log.countsByAccount[owner.accountId]).toEqual({
    'POST /phone-number': 1,
    'GET /phone-number/:id': 1,
    'DELETE /phone-number/:id': 1,
  })
  expect(log.countsByAccount[other.accountId]).toEqual({ 'GET /phone-number/:id': 1 })
  expect(JSON.stringify(log)).not.toContain(owner.apiKey)

  // A 429 made by the faults (before the key is even checked) still names the account that was throttled.
  await api('POST', '/_sandbox/faults', { body: { rateLimitRate: 1 } })
  try {
    expect((await api('GET', '/phone-number', { key: other.apiKey })).status).toBe(429)
  } finally {
    await api('DELETE', '/_sandbox/faults')
  }
  const throttled = z
    .object({ requests: z.array(z.object({ status: z.number(), accountId: z.string().nullable() })) })
    .parse(await (await fetch(`${sandbox.url}/_sandbox/requests`)).json())
    .requests.at(-1)
  expect(throttled).toEqual({ status: 429, accountId: other.accountId })
})

test('with acceptUnknownKeys false only accounts’ keys work; any other key gets Vapi’s invalid-key 401', async () => {
  const strict = await startVapiSandbox({
    port: 0,
    minDelayMs: 60_000,
    maxDelayMs: 60_000,
    webhookSecret,
    acceptUnknownKeys: false,
    accounts: [{ apiKey: 'platform-key', name: 'Platform' }],
  })
  try {
    const unknown = await sandboxCall(strict.url, 'GET', '/phone-number', { key: 'made-up-key' })
    expect(unknown.status).toBe(401)
    expect(unknown.json).toEqual({ message: invalidKeyMessage, error: 'Unauthorized', statusCode: 401 })
    expect((await sandboxCall(strict.url, 'GET', '/assistant', { key: 'made-up-key' })).status).toBe(401)
    expect((await sandboxCall(strict.url, 'GET', '/phone-number', { key: 'platform-key' })).status).toBe(200)
    const created = await createSandboxAccount(strict.url)
    expect((await sandboxCall(strict.url, 'GET', '/assistant', { key: created.apiKey })).json).toHaveLength(3)
    const listed = accountListShape.parse(await (await fetch(`${strict.url}/_sandbox/accounts`)).json())
    expect(listed.map((account) => account.name)).toEqual(['Platform', expect.stringMatching(/^Sandbox account/)])
    expect(listed.every((account) => !account.isImplicit)).toBe(true)
  } finally {
    await strict.close()
  }
})

test('an unknown key still becomes an account of its own by default (implicit), listed with its last four', async () => {
  const key = `implicit-key-${Math.random().toString(36).slice(2)}`
  const bought = await buySandboxNumber(sandbox.url, key)
  // Implicit accounts take any assistant id, as every key did before accounts existed.
  const routed = await api('PATCH', `/phone-number/${bought.id}`, { key, body: { assistantId: 'assistant-1' } })
  expect(routed.status).toBe(200)
  const listed = accountListShape.parse(await (await fetch(`${sandbox.url}/_sandbox/accounts`)).json())
  expect(listed.find((account) => account.orgId === bought.orgId)).toMatchObject({
    isImplicit: true,
    keyHint: key.slice(-4),
    numbers: 1,
    assistants: 3,
  })
})
