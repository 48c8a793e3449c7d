import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import {
  startTelnyxSandbox,
  startTwilioSandbox,
  type RunningTelnyxSandbox,
  type RunningTwilioSandbox,
} from '../carrier-sandbox/start-carrier-sandboxes.ts'
import { createTelnyxSandboxAccount, createTwilioSandboxAccount } from '../carriers/create-carrier-sandbox-account.ts'
import { createTelnyxClient } from '../carriers/telnyx-client.ts'
import { createTwilioClient } from '../carriers/twilio-client.ts'
import { startVapiSandbox, type RunningVapiSandbox } from './start-vapi-sandbox.ts'
import { createSandboxAccount, sandboxCall } from './test-support/sandbox-client.ts'

// The Vapi sandbox imports Twilio and Telnyx numbers as Vapi does: it asks the carrier (here the carrier sandboxes
// on real ports) whether the credentials work and the number is in that account, and keeps nothing when not.

// Vapi's TwilioPhoneNumber and TelnyxPhoneNumber, with no field the spec does not document.
const spec = JSON.parse(readFileSync(new URL('../vapi/phone-number-openapi.json', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, Record<string, unknown>> }
}
for (const name of ['TwilioPhoneNumber', 'TelnyxPhoneNumber']) {
  const schema = spec.components.schemas[name]
  if (schema) schema.additionalProperties = false
}
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false })
addFormats(ajv)
ajv.addSchema(spec, 'vapi')
function expectVapiShape(name: 'TwilioPhoneNumber' | 'TelnyxPhoneNumber', value: unknown) {
  const validate = ajv.getSchema(`vapi#/components/schemas/${name}`)
  if (!validate) throw new Error(`no schema ${name}`)
  expect(validate(value) ? [] : validate.errors).toEqual([])
}

let twilio: RunningTwilioSandbox
let telnyx: RunningTelnyxSandbox
let vapi: RunningVapiSandbox
const stateDir = mkdtempSync(path.join(tmpdir(), 'vapi-imports-'))

/** The Vapi sandbox with its state file, checking imports with the two carrier sandboxes. */
const startVapi = () =>
  startVapiSandbox({
    port: 0,
    minDelayMs: 50,
    maxDelayMs: 100,
    webhookSecret: 'secret',
    stateFile: path.join(stateDir, 'vapi.json'),
    carriers: { twilioBaseUrl: twilio.baseUrl, telnyxBaseUrl: telnyx.baseUrl },
  })

beforeAll(async () => {
  twilio = await startTwilioSandbox({ port: 0 })
  telnyx = await startTelnyxSandbox({ port: 0, orderMinDelayMs: 50, orderMaxDelayMs: 100 })
  vapi = await startVapi()
})
afterAll(async () => {
  await vapi.close()
  await twilio.close()
  await telnyx.close()
  rmSync(stateDir, { recursive: true, force: true })
})

async function twilioNumber() {
  const account = await createTwilioSandboxAccount(twilio.baseUrl, 'importer')
  const client = createTwilioClient({
    baseUrl: twilio.baseUrl,
    credentials: { accountSid: account.accountSid, apiKeySid: account.apiKeySid, apiKeySecret: account.apiKeySecret },
  })
  const [found] = (await client.searchAvailable({ country: 'US', type: 'local', areaCode: '415', pageSize: 1 })).items
  if (!found) throw new Error('no number found')
  const bought = await client.buyNumber({ phoneNumber: found.number })
  return { account, client, bought }
}

test('a Twilio number imports with an API key (or the auth token) once the Twilio account holds it', async () => {
  const vapiAccount = await createSandboxAccount(vapi.url, 'Acme')
  const { account, bought } = await twilioNumber()
  const assistantId = vapiAccount.assistants[0]?.id
  const imported = await sandboxCall(vapi.url, 'POST', '/phone-number', {
    key: vapiAccount.apiKey,
    body: {
      provider: 'twilio',
      number: bought.phoneNumber,
      twilioAccountSid: account.accountSid,
      twilioApiKey: account.apiKeySid,
      twilioApiSecret: account.apiKeySecret,
      name: 'Main line',
      assistantId,
    },
  })
  expect(imported.status).toBe(201)
  expect(imported.json).toMatchObject({
    provider: 'twilio',
    number: bought.phoneNumber,
    status: 'active',
    twilioAccountSid: account.accountSid,
    name: 'Main line',
    assistantId,
    orgId: vapiAccount.orgId,
  })
  expect(JSON.stringify(imported.json)).not.toContain(account.apiKeySecret)
  expectVapiShape('TwilioPhoneNumber', imported.json)
  const listed = await sandboxCall(vapi.url, 'GET', '/phone-number', { key: vapiAccount.apiKey })
  expect(listed.json).toEqual([imported.json])

  // The same number twice in one organisation is refused.
  const again = await sandboxCall(vapi.url, 'POST', '/phone-number', {
    key: vapiAccount.apiKey,
    body: {
      provider: 'twilio',
      number: bought.phoneNumber,
      twilioAccountSid: account.accountSid,
      twilioAuthToken: account.authToken,
    },
  })
  expect(again.status).toBe(400)
  expect(JSON.stringify(again.json)).toMatch(/already exists/)
})

test('a Twilio import is refused, and nothing kept, for bad credentials, a number not in the account, or no secret', async () => {
  const vapiAccount = await createSandboxAccount(vapi.url, 'Refused')
  const { account, bought } = await twilioNumber()
  const attempt = (body: Record<string, unknown>) =>
    sandboxCall(vapi.url, 'POST', '/phone-number', { key: vapiAccount.apiKey, body: { provider: 'twilio', ...body } })

  const badSecret = await attempt({
    number: bought.phoneNumber,
    twilioAccountSid: account.accountSid,
    twilioAuthToken: 'wrong',
  })
  expect(badSecret.status).toBe(400)
  expect(JSON.stringify(badSecret.json)).toMatch(/Twilio refused the credentials.*20003/)

  const notHeld = await attempt({
    number: '+14155550199',
    twilioAccountSid: account.accountSid,
    twilioAuthToken: account.authToken,
  })
  expect(notHeld.status).toBe(400)
  expect(JSON.stringify(notHeld.json)).toMatch(/not found in Twilio account/)

  const noSecret = await attempt({ number: bought.phoneNumber, twilioAccountSid: account.accountSid })
  expect(noSecret.status).toBe(400)

  const listed = await sandboxCall(vapi.url, 'GET', '/phone-number', { key: vapiAccount.apiKey })
  expect(listed.json).toEqual([])
})

test('Telnyx: a credential is checked with Telnyx, never answers its key, and imports a number its account holds', async () => {
  const vapiAccount = await createSandboxAccount(vapi.url, 'Telnyx user')
  const refused = await sandboxCall(vapi.url, 'POST', '/credential', {
    key: vapiAccount.apiKey,
    body: { provider: 'telnyx', apiKey: 'KEYnot-real' },
  })
  expect(refused.status).toBe(400)
  expect(JSON.stringify(refused.json)).toMatch(/Telnyx refused the API key/)

  const telnyxAccount = await createTelnyxSandboxAccount(telnyx.baseUrl, 'owner')
  const created = await sandboxCall(vapi.url, 'POST', '/credential', {
    key: vapiAccount.apiKey,
    body: { provider: 'telnyx', apiKey: telnyxAccount.apiKey, name: 'Telnyx' },
  })
  expect(created.status).toBe(201)
  expect(created.json).toMatchObject({
    provider: 'telnyx',
    orgId: vapiAccount.orgId,
    name: 'Telnyx',
  })
  expect((created.json as { id?: unknown }).id).toMatch(/^[0-9a-f-]{36}$/)
  expect(JSON.stringify(created.json)).not.toContain(telnyxAccount.apiKey)
  const credentialId = (created.json as { id: string }).id

  const client = createTelnyxClient({ baseUrl: telnyx.baseUrl, apiKey: telnyxAccount.apiKey })
  const [found] = (await client.searchAvailable({ country: 'CA', type: 'local', areaCode: '416', pageSize: 1 })).items
  if (!found) throw new Error('no number found')
  const importIt = () =>
    sandboxCall(vapi.url, 'POST', '/phone-number', {
      key: vapiAccount.apiKey,
      body: { provider: 'telnyx', number: found.number, credentialId },
    })
  // Ordered but not yet complete: not in the account yet.
  const order = await client.createNumberOrder({ phoneNumbers: [found.number] })
  const early = await importIt()
  expect(early.status).toBe(400)
  await vi.waitFor(async () => expect((await client.getNumberOrder(order.id)).status).toBe('success'), {
    timeout: 3_000,
  })
  const imported = await importIt()
  expect(imported.status).toBe(201)
  expect(imported.json).toMatchObject({ provider: 'telnyx', number: found.number, credentialId, status: 'active' })
  expectVapiShape('TelnyxPhoneNumber', imported.json)

  // Another organisation cannot use this organisation's credential.
  const other = await createSandboxAccount(vapi.url, 'Other')
  const borrowed = await sandboxCall(vapi.url, 'POST', '/phone-number', {
    key: other.apiKey,
    body: { provider: 'telnyx', number: found.number, credentialId },
  })
  expect(borrowed.status).toBe(400)

  // The credential survives a restart of the Vapi sandbox (state file), still without its key in answers.
  await vapi.close()
  vapi = await startVapi()
  const kept = await sandboxCall(vapi.url, 'GET', `/credential/${credentialId}`, { key: vapiAccount.apiKey })
  expect(kept.status).toBe(200)
  const listed = await sandboxCall(vapi.url, 'GET', '/phone-number', { key: vapiAccount.apiKey })
  expect(listed.json).toEqual([imported.json])
})
