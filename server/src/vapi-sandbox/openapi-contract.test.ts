import { readFileSync } from 'node:fs'
import Ajv, { type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { z } from 'zod'
import { createVapiClient } from '../vapi/vapi-client.ts'
import { startVapiSandbox, type RunningVapiSandbox } from './start-vapi-sandbox.ts'
import { startWebhookReceiver } from '../../test/support/start-webhook-receiver.ts'
import { createSandboxAccount, sandboxCall } from './test-support/sandbox-client.ts'

// The sandbox is only worth testing against if it answers what Vapi answers. Every body it sends to the real
// client is checked against Vapi's own OpenAPI spec (a copy kept in the repo, so the test stands alone).

const jsonObject = z.record(z.string(), z.unknown())
const openapi = jsonObject.parse(
  JSON.parse(readFileSync(new URL('../vapi/phone-number-openapi.json', import.meta.url), 'utf8')),
)

/** `value[key]` when it is an object; Reflect, not zod, so the result is the very object inside `value`. */
function objectAt(value: unknown, key: string): object {
  const child: unknown = typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined
  if (typeof child !== 'object' || child === null) throw new Error(`The spec has no object at ${key}`)
  return child
}

/** The same spec with additionalProperties: false on the phone-number shapes: no field Vapi does not document. */
function withoutExtraProperties(document: Record<string, unknown>) {
  const copy = structuredClone(document)
  const schemas = objectAt(objectAt(copy, 'components'), 'schemas')
  for (const name of ['VapiPhoneNumber', 'Server', 'CreateVapiPhoneNumberDTO', 'UpdateVapiPhoneNumberDTO']) {
    Reflect.set(objectAt(schemas, name), 'additionalProperties', false)
  }
  return copy
}

// OpenAPI is not quite JSON Schema (boolean `required` on parameters, `discriminator`, `example`), so the
// document itself is not meta-validated and unknown keywords are ignored; the schemas inside are plain JSON Schema.
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false })
addFormats(ajv)
ajv.addSchema(openapi, 'vapi')
ajv.addSchema(withoutExtraProperties(openapi), 'vapi-strict')

// The assistant part of Vapi's spec (extracted into this folder: the whole spec is 2 MB), once as published and once
// with additionalProperties: false, so the sandbox's assistants carry no field Vapi does not document.
const assistantOpenapi = jsonObject.parse(
  JSON.parse(readFileSync(new URL('./assistant-openapi.json', import.meta.url), 'utf8')),
)
const strictAssistantOpenapi = structuredClone(assistantOpenapi)
Reflect.set(
  objectAt(objectAt(objectAt(strictAssistantOpenapi, 'components'), 'schemas'), 'Assistant'),
  'additionalProperties',
  false,
)
ajv.addSchema(assistantOpenapi, 'vapi-assistant')
ajv.addSchema(strictAssistantOpenapi, 'vapi-assistant-strict')

function validator(ref: string): ValidateFunction {
  const validate = ajv.getSchema(ref)
  if (!validate) throw new Error(`No schema at ${ref}`)
  return validate
}
const responseOf = (path: string, method: string, status: number) =>
  validator(`vapi#/paths/${path.replaceAll('/', '~1')}/${method}/responses/${status}/content/application~1json/schema`)

const schemas = {
  vapiPhoneNumber: validator('vapi#/components/schemas/VapiPhoneNumber'),
  strictVapiPhoneNumber: validator('vapi-strict#/components/schemas/VapiPhoneNumber'),
  strictCreateBody: validator('vapi-strict#/components/schemas/CreateVapiPhoneNumberDTO'),
  strictUpdateBody: validator('vapi-strict#/components/schemas/UpdateVapiPhoneNumberDTO'),
  createResponse: responseOf('/phone-number', 'post', 201),
  listResponse: responseOf('/phone-number', 'get', 200),
  getResponse: responseOf('/phone-number/%7Bid%7D', 'get', 200),
  updateResponse: responseOf('/phone-number/%7Bid%7D', 'patch', 200),
  deleteResponse: responseOf('/phone-number/%7Bid%7D', 'delete', 200),
  assistantList: validator('vapi-assistant#/paths/~1assistant/get/responses/200/content/application~1json/schema'),
  assistantCreate: validator('vapi-assistant#/paths/~1assistant/post/responses/201/content/application~1json/schema'),
  assistantGet: validator(
    'vapi-assistant#/paths/~1assistant~1%7Bid%7D/get/responses/200/content/application~1json/schema',
  ),
  strictAssistant: validator('vapi-assistant-strict#/components/schemas/Assistant'),
}

function expectValid(validate: ValidateFunction, value: unknown, what: string) {
  const isValid = validate(value)
  expect(isValid, `${what}: ${ajv.errorsText(validate.errors, { dataVar: what })}\n${JSON.stringify(value)}`).toBe(true)
}

interface Exchange {
  method: string
  path: string
  requestBody: unknown
  status: number
  responseBody: unknown
}

let sandbox: RunningVapiSandbox
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
const exchanges: Exchange[] = []

/** The real fetch, with a copy of each exchange kept for validation. */
const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init)
  const url = new URL(input instanceof Request ? input.url : String(input))
  const text = await response.clone().text()
  exchanges.push({
    method: init?.method ?? 'GET',
    path: url.pathname,
    requestBody: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    status: response.status,
    responseBody: text === '' ? undefined : JSON.parse(text),
  })
  return response
}

beforeAll(async () => {
  sandbox = await startVapiSandbox({ port: 0, minDelayMs: 50, maxDelayMs: 200, webhookSecret: 'contract-secret' })
  receiver = await startWebhookReceiver()
})
afterAll(async () => {
  await sandbox.close()
  await receiver.close()
})

test('the spec is loaded and its validators are not vacuous', async () => {
  const vapi = createVapiClient({ baseUrl: sandbox.url, apiKey: 'contract-vacuous', fetch: recordingFetch })
  const created = await vapi.createPhoneNumber({ numberDesiredAreaCode: '415' })
  const answer = exchanges.at(-1)?.responseBody
  expectValid(schemas.createResponse, answer, 'create answer')

  // If the sandbox dropped a required field or invented a status, the same validators would say so.
  const { orgId: _orgId, ...withoutOrgId } = jsonObject.parse(answer)
  for (const validate of [schemas.vapiPhoneNumber, schemas.createResponse, schemas.getResponse]) {
    expect(validate(withoutOrgId)).toBe(false)
    expect(validate({ ...jsonObject.parse(answer), status: 'porting' })).toBe(false)
  }
  expect(schemas.strictVapiPhoneNumber({ ...jsonObject.parse(answer), releasedAt: null })).toBe(false)
  expect(schemas.listResponse([withoutOrgId])).toBe(false)
  expect(schemas.strictCreateBody({ provider: 'vapi', numberDesiredAreaCode: '415', areaCode: '415' })).toBe(false)
  expect(created.id).toEqual(expect.any(String))
})

test('every answer to the client’s calls matches Vapi’s OpenAPI spec, and every request body matches its DTO', async () => {
  exchanges.length = 0
  const vapi = createVapiClient({ baseUrl: sandbox.url, apiKey: 'contract-key', fetch: recordingFetch })

  const created = await vapi.createPhoneNumber({
    numberDesiredAreaCode: '212',
    name: 'Contract line',
    assistantId: '0b5f2f0e-8f0a-4d5e-9a53-4a3c2f1d9e77',
    server: { url: receiver.url, headers: { 'x-tenant': 'contract' } },
  })
  await vapi.getPhoneNumber(created.id)
  await vi.waitFor(async () => expect((await vapi.getPhoneNumber(created.id)).number).toBeDefined(), {
    timeout: 3_000,
    interval: 25,
  })
  const blocked = await vapi.createPhoneNumber({ numberDesiredAreaCode: '535' })
  await vi.waitFor(async () => expect((await vapi.getPhoneNumber(blocked.id)).status).toBe('blocked'), {
    timeout: 3_000,
    interval: 25,
  })
  await vapi.createPhoneNumber({ numberDesiredAreaCode: '534' })
  await vapi.listPhoneNumbers()
  await vapi.listPhoneNumbers({ limit: 2, createdAtGt: '2000-01-01T00:00:00.000Z' })
  await vapi.updatePhoneNumber(created.id, { name: 'Renamed line', server: { url: receiver.url } })
  await vapi.deletePhoneNumber(blocked.id)

  const seen = new Set<string>()
  const statuses = new Set<unknown>()
  for (const exchange of exchanges) {
    const isById = exchange.path.startsWith('/phone-number/')
    const operation = `${exchange.method} ${isById ? '/phone-number/{id}' : exchange.path}`
    seen.add(operation)
    expect(exchange.status, operation).toBeLessThan(300)
    const what = `${operation} answer`
    switch (operation) {
      case 'POST /phone-number':
        expectValid(schemas.strictCreateBody, exchange.requestBody, 'POST /phone-number body')
        expectValid(schemas.createResponse, exchange.responseBody, what)
        break
      case 'GET /phone-number':
        expectValid(schemas.listResponse, exchange.responseBody, what)
        for (const item of z.array(z.unknown()).parse(exchange.responseBody)) {
          expectValid(schemas.strictVapiPhoneNumber, item, `${what} item`)
        }
        continue
      case 'GET /phone-number/{id}':
        expectValid(schemas.getResponse, exchange.responseBody, what)
        break
      case 'PATCH /phone-number/{id}':
        expectValid(schemas.strictUpdateBody, exchange.requestBody, 'PATCH body')
        expectValid(schemas.updateResponse, exchange.responseBody, what)
        break
      case 'DELETE /phone-number/{id}':
        expectValid(schemas.deleteResponse, exchange.responseBody, what)
        break
      default:
        throw new Error(`The client made a call the spec was not checked for: ${operation}`)
    }
    expectValid(schemas.strictVapiPhoneNumber, exchange.responseBody, `${what} (no undocumented fields)`)
    statuses.add(jsonObject.parse(exchange.responseBody).status)
  }
  expect([...seen].sort()).toEqual([
    'DELETE /phone-number/{id}',
    'GET /phone-number',
    'GET /phone-number/{id}',
    'PATCH /phone-number/{id}',
    'POST /phone-number',
  ])
  // All three statuses Vapi documents were seen and validated.
  expect(statuses).toEqual(new Set(['activating', 'active', 'blocked']))
})

test('the phone number inside the sandbox’s webhook matches the spec too', async () => {
  const vapi = createVapiClient({ baseUrl: sandbox.url, apiKey: 'contract-webhook' })
  const created = await vapi.createPhoneNumber({ numberDesiredAreaCode: '537', server: { url: receiver.url } })
  const envelopeSchema = z.object({
    message: z.object({ type: z.string(), timestamp: z.number(), phoneNumber: z.looseObject({ id: z.string() }) }),
  })
  const delivery = await vi.waitFor(
    () => {
      const found = receiver.received
        .map((received) => envelopeSchema.parse(JSON.parse(received.rawBody)))
        .find((envelope) => envelope.message.phoneNumber.id === created.id)
      expect(found).toBeDefined()
      return found
    },
    { timeout: 3_000, interval: 25 },
  )
  expectValid(schemas.strictVapiPhoneNumber, delivery?.message.phoneNumber, 'webhook phoneNumber')
})

test('assistants, and a number routed to one and cleared with null, match Vapi’s spec', async () => {
  const account = await createSandboxAccount(sandbox.url, 'Contract account')
  const key = account.apiKey
  const listed = await sandboxCall(sandbox.url, 'GET', '/assistant', { key })
  expectValid(schemas.assistantList, listed.json, 'GET /assistant answer')
  const items = z.array(z.unknown()).parse(listed.json)
  expect(items).toHaveLength(3)
  for (const item of items) expectValid(schemas.strictAssistant, item, 'GET /assistant item')

  const created = await sandboxCall(sandbox.url, 'POST', '/assistant', { key, body: { name: 'Contract desk' } })
  expect(created.status).toBe(201)
  expectValid(schemas.assistantCreate, created.json, 'POST /assistant answer')
  expectValid(schemas.strictAssistant, created.json, 'POST /assistant answer (no undocumented fields)')
  const assistantId = z.object({ id: z.string() }).parse(created.json).id
  const got = await sandboxCall(sandbox.url, 'GET', `/assistant/${assistantId}`, { key })
  expectValid(schemas.assistantGet, got.json, 'GET /assistant/{id} answer')
  expectValid(schemas.strictAssistant, got.json, 'GET /assistant/{id} answer (no undocumented fields)')
  // A validator that accepts anything would pass the lines above; this one must not.
  expect(schemas.strictAssistant({ ...jsonObject.parse(got.json), releasedAt: null })).toBe(false)
  expect(schemas.assistantGet({ name: 'no id' })).toBe(false)

  const createBody = { provider: 'vapi', numberDesiredAreaCode: '415', assistantId, server: { url: receiver.url } }
  expectValid(schemas.strictCreateBody, createBody, 'POST /phone-number body')
  const bought = await sandboxCall(sandbox.url, 'POST', '/phone-number', { key, body: createBody })
  expectValid(schemas.createResponse, bought.json, 'POST /phone-number answer')
  const id = z.object({ id: z.string() }).parse(bought.json).id

  const routeBody = { assistantId: account.assistants[1]?.id, name: 'After hours' }
  expectValid(schemas.strictUpdateBody, routeBody, 'PATCH body')
  const routed = await sandboxCall(sandbox.url, 'PATCH', `/phone-number/${id}`, { key, body: routeBody })
  expect(routed.status).toBe(200)
  expectValid(schemas.updateResponse, routed.json, 'PATCH answer')
  expectValid(schemas.strictVapiPhoneNumber, routed.json, 'PATCH answer (no undocumented fields)')

  // `null` is how Vapi's docs say a route is cleared; the answer then has no assistantId or server at all.
  const cleared = await sandboxCall(sandbox.url, 'PATCH', `/phone-number/${id}`, {
    key,
    body: { assistantId: null, server: null },
  })
  expect(cleared.status).toBe(200)
  expectValid(schemas.updateResponse, cleared.json, 'PATCH (cleared) answer')
  expectValid(schemas.strictVapiPhoneNumber, cleared.json, 'PATCH (cleared) answer (no undocumented fields)')
  expect(cleared.json).not.toHaveProperty('assistantId')
})
