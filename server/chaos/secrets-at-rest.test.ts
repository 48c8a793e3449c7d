import { execFile } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { availableNumberListSchema } from '@dialtone/shared/carriers'
import { phoneNumberSchema } from '@dialtone/shared/phone-number'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { z } from 'zod'
import {
  startTelnyxSandbox,
  startTwilioSandbox,
  type RunningTelnyxSandbox,
  type RunningTwilioSandbox,
} from '../src/carrier-sandbox/start-carrier-sandboxes.ts'
import { grantPlatformAdmin } from '../src/auth/organization-repository.ts'
import { startVapiSandbox, type RunningVapiSandbox } from '../src/vapi-sandbox/start-vapi-sandbox.ts'
import { findFreePort } from '../test/support/cluster-client.ts'
import { spawnServerProcess, type ServerProcess } from '../test/support/server-process.ts'
import { startSmtpReceiver, type SmtpReceiver } from '../test/support/smtp-receiver.ts'
import { startWebhookReceiver } from '../test/support/start-webhook-receiver.ts'
import { signUpOwner, statusUpdateBody, type Owner } from './support/chaos-client.ts'
import { eventually } from './support/data-checks.ts'
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts'
import { writeSummary } from './support/summary.ts'

/**
 * Every kind of secret dialtone keeps, each a unique random value, stored through the API and then used: numbers
 * bought at Vapi, Twilio and Telnyx and imported, webhooks in and out, call events relayed, wrong credentials and
 * refusing sandboxes so that error bodies appear, with the server logging at trace level. Then every place a secret
 * could leak to is searched for every secret in its plain, base64, base64url, hex and URL-encoded forms: a pg_dump of
 * the database, everything the server process wrote to stdout and stderr, every HTTP answer it gave (headers and
 * body), every Socket.IO event an owner's tab received, and the CSV exports. The only answers allowed to carry a
 * secret are the two that hand one out once by design (a webhook endpoint's signing secret when it is created or
 * rotated, an API key when it is created); they serve as the positive control for the answers, and the sandboxes'
 * own state files (which hold the credentials they issued) as the positive control for everything else.
 */

const run = promisify(execFile)
const unique = (label: string) => `${label}-${randomBytes(18).toString('base64url')}`

const env = {
  authSecret: unique('auth-secret'),
  platformVapiKey: unique('platform-vapi-key'),
  vapiWebhookSecret: unique('vapi-webhook-secret'),
  credentialsKey: unique('credentials-key'),
  metricsToken: unique('metrics-token'),
}
const organizationVapiKey = randomUUID()
const wrongVapiKey = randomUUID()
const forwardCredentials = {
  bearer: unique('relay-bearer'),
  secret: unique('relay-secret'),
  hmac: unique('relay-hmac'),
}
const wrongTwilioToken = randomBytes(16).toString('hex')
const wrongTelnyxKey = `KEY${randomBytes(13).toString('hex').toUpperCase()}_${randomBytes(16).toString('base64url')}`

let database: ScratchDatabase
let twilio: RunningTwilioSandbox
let telnyx: RunningTelnyxSandbox
let vapi: RunningVapiSandbox
let smtp: SmtpReceiver
let endpointReceiver: Awaited<ReturnType<typeof startWebhookReceiver>>
let relayReceiver: Awaited<ReturnType<typeof startWebhookReceiver>>
let server: ServerProcess
let stateDir: string
let serverOutput = ''

beforeAll(async () => {
  database = await createScratchDatabase()
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'dialtone-secrets-'))
  const port = await findFreePort()
  twilio = await startTwilioSandbox({ port: 0, stateFile: path.join(stateDir, 'twilio.json') })
  telnyx = await startTelnyxSandbox({ port: 0, stateFile: path.join(stateDir, 'telnyx.json') })
  vapi = await startVapiSandbox({
    port: 0,
    minDelayMs: 100,
    maxDelayMs: 300,
    webhookSecret: env.vapiWebhookSecret,
    acceptUnknownKeys: false,
    accounts: [
      { apiKey: env.platformVapiKey, name: 'Platform' },
      { apiKey: organizationVapiKey, name: 'Leak-test dental' },
    ],
    stateFile: path.join(stateDir, 'vapi.json'),
    carriers: { twilioBaseUrl: twilio.baseUrl, telnyxBaseUrl: telnyx.baseUrl },
  })
  smtp = await startSmtpReceiver()
  endpointReceiver = await startWebhookReceiver()
  relayReceiver = await startWebhookReceiver()
  server = spawnServerProcess({
    port,
    databaseUrl: database.url,
    vapiBaseUrl: vapi.url,
    authSecret: env.authSecret,
    webhookSecret: env.vapiWebhookSecret,
    extraEnv: {
      LOG_LEVEL: 'trace',
      VAPI_API_KEY: env.platformVapiKey,
      VAPI_ACCOUNT_POLICY: 'own',
      CREDENTIALS_KEY: env.credentialsKey,
      METRICS_TOKEN: env.metricsToken,
      TWILIO_BASE_URL: twilio.baseUrl,
      TELNYX_BASE_URL: telnyx.baseUrl,
      TELNYX_PUBLIC_KEY: telnyx.publicKey,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'dialtone <numbers@dialtone.test>',
      MAIL_FOLD_WINDOW_MS: '0',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      VAPI_MAX_RPS: '50',
    },
  })
  // Every byte, not the helper's tail: a secret in the first line of a long trace log must be found too.
  server.child.stdout?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString('utf8')))
  server.child.stderr?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString('utf8')))
  await server.waitReady()
})

afterAll(async () => {
  await server?.kill('SIGKILL')
  await relayReceiver?.close()
  await endpointReceiver?.close()
  await smtp?.stop()
  await vapi?.close()
  await telnyx?.close()
  await twilio?.close()
  await database?.close()
  if (stateDir) await rm(stateDir, { recursive: true, force: true })
})

interface Recorded {
  label: string
  status: number
  text: string
}

/** The forms a secret could take on its way out: as typed, base64, base64url, hex and URL-encoded. */
function formsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const forms = [
    secret,
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    encodeURIComponent(secret),
  ]
  return [...new Set(forms)]
}

/** Which of the secrets (any form) a text holds, with the form that matched. */
function findSecrets(text: string, secrets: Record<string, string[]>): string[] {
  const lower = text.toLowerCase()
  const hits: string[] = []
  for (const [name, values] of Object.entries(secrets)) {
    for (const value of values) {
      // Hex is searched case-blind (pg_dump writes bytea in lower case, some encoders in upper case).
      const found = formsOf(value).some((form) =>
        /^[0-9a-f]+$/i.test(form) ? lower.includes(form.toLowerCase()) : text.includes(form),
      )
      if (found) hits.push(name)
    }
  }
  return [...new Set(hits)]
}

test('no stored secret appears in a database dump, trace logs, answers, socket events or CSV exports', async () => {
  const answers: Recorded[] = []
  const reveals: Recorded[] = []
  const socketEvents: string[] = []
  const csvExports: string[] = []

  const api = async (
    owner: Owner | null,
    pathAndQuery: string,
    init: { method?: string; json?: unknown; headers?: Record<string, string>; reveal?: boolean } = {},
  ) => {
    const response = await fetch(`${server.url}${pathAndQuery}`, {
      method: init.method ?? 'GET',
      headers: {
        origin: server.url,
        ...(owner ? { cookie: owner.cookie } : {}),
        ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    })
    const text = await response.text()
    const headers = [...response.headers.entries()].map(([name, value]) => `${name}: ${value}`).join('\n')
    const entry = {
      label: `${init.method ?? 'GET'} ${pathAndQuery}`,
      status: response.status,
      text: `${headers}\n\n${text}`,
    }
    ;(init.reveal ? reveals : answers).push(entry)
    if (response.headers.get('content-type')?.startsWith('text/csv')) csvExports.push(text)
    let json: unknown = null
    try {
      json = JSON.parse(text)
    } catch {
      // CSV or empty
    }
    return { status: response.status, json, text }
  }
  const idOf = (json: unknown) => z.object({ id: z.string() }).parse(json).id

  // The carriers issue the organisation's credentials (the sandboxes' own accounts, as their portals would).
  const twilioAccount = z
    .object({ accountSid: z.string(), authToken: z.string(), apiKeySid: z.string(), apiKeySecret: z.string() })
    .parse(
      await (
        await fetch(`${twilio.url}/_sandbox/accounts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Leak-test dental' }),
        })
      ).json(),
    )
  const telnyxAccount = z.object({ apiKey: z.string(), publicKey: z.string() }).parse(
    await (
      await fetch(`${telnyx.url}/_sandbox/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Leak-test dental', webhookUrl: `${server.url}/webhooks/telnyx` }),
      })
    ).json(),
  )

  const owner = await signUpOwner(server.url, database.db, 'Secrets Owner')
  expect(await grantPlatformAdmin(database.db, owner.email)).toBe(true)
  // The owner's dashboard tab, connected before anything happens: every event it receives is searched.
  const socket = io(server.url, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: { cookie: owner.cookie },
  })
  socket.onAny((event: string, ...payload: unknown[]) => socketEvents.push(`${event} ${JSON.stringify(payload)}`))
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })

  // Connections: each first with wrong credentials (refused, with an error body), then the right ones.
  expect((await api(owner, '/api/connections/vapi', { method: 'PUT', json: { apiKey: wrongVapiKey } })).status).toBe(
    422,
  )
  expect(
    (await api(owner, '/api/connections/vapi', { method: 'PUT', json: { apiKey: organizationVapiKey } })).status,
  ).toBe(200)
  const refusedTwilio = await api(owner, '/api/connections/twilio', {
    method: 'PUT',
    json: { accountSid: twilioAccount.accountSid, authToken: wrongTwilioToken },
  })
  expect(refusedTwilio.status).toBe(422)
  for (const json of [
    { accountSid: twilioAccount.accountSid, authToken: twilioAccount.authToken },
    {
      accountSid: twilioAccount.accountSid,
      apiKeySid: twilioAccount.apiKeySid,
      apiKeySecret: twilioAccount.apiKeySecret,
    },
  ]) {
    const connected = await api(owner, '/api/connections/twilio', { method: 'PUT', json })
    expect(connected.status, connected.text).toBe(200)
  }
  expect(
    (await api(owner, '/api/connections/telnyx', { method: 'PUT', json: { apiKey: wrongTelnyxKey } })).status,
  ).toBe(422)
  const telnyxConnected = await api(owner, '/api/connections/telnyx', {
    method: 'PUT',
    json: { apiKey: telnyxAccount.apiKey, publicKey: telnyxAccount.publicKey },
  })
  expect(telnyxConnected.status, telnyxConnected.text).toBe(200)
  for (const connection of ['vapi', 'twilio', 'telnyx']) await api(owner, `/api/connections/${connection}`)

  // A webhook endpoint (its secret handed out once, and again on rotation) and an API key (handed out once).
  const endpoint = await api(owner, '/api/webhook-endpoints', {
    method: 'POST',
    json: { url: endpointReceiver.url },
    reveal: true,
  })
  expect(endpoint.status).toBe(201)
  const endpointId = idOf(endpoint.json)
  const firstSigningSecret = z.object({ secret: z.string() }).parse(endpoint.json).secret
  const rotated = await api(owner, `/api/webhook-endpoints/${endpointId}/rotate-secret`, {
    method: 'POST',
    reveal: true,
  })
  expect(rotated.status).toBe(200)
  const secondSigningSecret = z.object({ secret: z.string() }).parse(rotated.json).secret
  const apiKey = await api(owner, '/api/api-keys', {
    method: 'POST',
    json: { name: 'leak test', scopes: ['numbers:read', 'numbers:write', 'settings:write'] },
    reveal: true,
  })
  expect(apiKey.status).toBe(201)
  const apiKeyValue = z.object({ key: z.string() }).parse(apiKey.json).key

  // The call-event relay, with each kind of forwarding credential in turn (the last, bearer, stays).
  for (const forwardAuth of [
    { type: 'secret', secret: forwardCredentials.secret },
    { type: 'hmac', secret: forwardCredentials.hmac },
    { type: 'bearer', token: forwardCredentials.bearer },
  ]) {
    const saved = await api(owner, '/api/call-events', {
      method: 'PUT',
      json: { enabled: true, forwardUrl: relayReceiver.url, forwardAuth },
    })
    expect(saved.status, saved.text).toBe(200)
  }
  await api(owner, '/api/call-events')

  // Numbers: one at Vapi, one bought at each carrier and imported, one the Twilio account already held, imported.
  const asKey = { authorization: `Bearer ${apiKeyValue}` }
  const vapiNumber = await api(null, '/api/phone-numbers', {
    method: 'POST',
    json: { areaCode: '415' },
    headers: asKey,
  })
  expect(vapiNumber.status, vapiNumber.text).toBe(201)
  const bought: string[] = [idOf(vapiNumber.json)]
  const offered = async (carrier: string) => {
    const search = await api(owner, `/api/available-numbers?carrier=${carrier}&country=US`)
    expect(search.status, search.text).toBe(200)
    return availableNumberListSchema.parse(search.json).items.map((item) => item.number)
  }
  for (const carrier of ['twilio', 'telnyx']) {
    const [number] = await offered(carrier)
    const answer = await api(owner, '/api/phone-numbers', { method: 'POST', json: { carrier, number } })
    expect(answer.status, answer.text).toBe(201)
    bought.push(idOf(answer.json))
  }
  const heldAtTwilio = (await offered('twilio'))[1] ?? ''
  const direct = await fetch(
    `${twilio.url}/2010-04-01/Accounts/${twilioAccount.accountSid}/IncomingPhoneNumbers.json`,
    {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${twilioAccount.accountSid}:${twilioAccount.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ PhoneNumber: heldAtTwilio }),
    },
  )
  expect(direct.status).toBe(201)
  await api(owner, '/api/carrier-numbers?carrier=twilio')
  const imported = await api(owner, '/api/phone-numbers/import', {
    method: 'POST',
    json: { carrier: 'twilio', numbers: [heldAtTwilio] },
  })
  expect(imported.status, imported.text).toBe(200)

  const cards = await eventually(
    async () => {
      const list = await api(owner, '/api/phone-numbers?limit=50')
      return z.object({ items: z.array(phoneNumberSchema) }).parse(list.json).items
    },
    (items) => items.length === 4 && items.every((item) => item.status === 'active'),
    { timeoutMs: 60_000, intervalMs: 500 },
  )
  expect(cards.isDone, JSON.stringify(cards.value)).toBe(true)

  // Numbers bought after the relay was turned on are pointed at dialtone by the worker (every few seconds): wait for
  // that before the call, so the call's messages take the relay's path.
  await eventually(
    async () =>
      z
        .object({ routedNumbers: z.number() })
        .loose()
        .parse((await api(owner, '/api/call-events')).json),
    (settings) => settings.routedNumbers >= 4,
    { timeoutMs: 30_000, intervalMs: 500 },
  )

  // A call on the Vapi number, relayed to the organisation's server with the bearer token.
  const vapiCard = cards.value.find((item) => item.id === bought[0])
  const placed = await fetch(`${vapi.url}/_sandbox/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phoneNumberId: vapiCard?.vapiPhoneNumberId, durationMs: 300 }),
  })
  expect(placed.status).toBe(202)
  const relayed = await eventually(
    async () => relayReceiver.received.length,
    (count) => count >= 3,
    { timeoutMs: 60_000, intervalMs: 250 },
  )
  expect(relayed.isDone).toBe(true)

  // Refusals that carry error bodies: forged webhooks (the secret sent where a signature belongs), an unknown API
  // key, each sandbox failing every call.
  const forged = JSON.stringify({ message: { type: 'status-update' } })
  const forgeries: Record<string, string>[] = [
    { 'x-vapi-secret': `${env.vapiWebhookSecret}x` },
    { authorization: `Bearer ${env.vapiWebhookSecret}` },
    { 'x-timestamp': String(Date.now()), 'x-signature': env.vapiWebhookSecret },
  ]
  for (const headers of forgeries) {
    const answer = await api(null, '/webhooks/vapi', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
    })
    expect(answer.status).toBe(401)
  }
  await api(null, '/webhooks/vapi', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-vapi-secret': env.vapiWebhookSecret },
    json: JSON.parse(statusUpdateBody({ id: randomUUID(), status: 'active' })) as unknown,
  })
  await api(null, '/webhooks/telnyx', { method: 'POST', json: JSON.parse(forged) as unknown })
  expect((await api(null, '/api/phone-numbers', { headers: { authorization: `Bearer ${apiKeyValue}x` } })).status).toBe(
    401,
  )
  const failEverything = (url: string) =>
    fetch(`${url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1 }),
    })
  await failEverything(twilio.url)
  await failEverything(telnyx.url)
  await failEverything(vapi.url)
  const twilioRefusing = await api(owner, '/api/available-numbers?carrier=twilio&country=US')
  expect(twilioRefusing.status).toBeGreaterThanOrEqual(400)
  await api(owner, '/api/available-numbers?carrier=telnyx&country=US')
  await api(owner, '/api/phone-numbers', { method: 'POST', json: { carrier: 'telnyx', number: '+15005550006' } })
  await api(owner, '/api/phone-numbers', { method: 'POST', json: { areaCode: '212' } })
  await api(owner, `/api/phone-numbers/${bought[0]}/refresh`, { method: 'POST' })
  await api(owner, '/api/connections/twilio', {
    method: 'PUT',
    json: { accountSid: twilioAccount.accountSid, authToken: twilioAccount.authToken },
  })
  for (const url of [twilio.url, telnyx.url, vapi.url]) await fetch(`${url}/_sandbox/faults`, { method: 'DELETE' })
  // A release at each carrier (the sealed credentials opened again), the outbound deliveries settled.
  for (const id of bought.slice(1, 3))
    expect((await api(owner, `/api/phone-numbers/${id}`, { method: 'DELETE' })).status).toBe(200)
  await eventually(
    async () => endpointReceiver.received.length,
    (count) => count >= 4,
    { timeoutMs: 30_000, intervalMs: 250 },
  )

  // Everything a signed-in owner and the admin can read, the CSV exports among them.
  for (const read of [
    '/api/connections/vapi',
    '/api/connections/twilio',
    '/api/connections/telnyx',
    '/api/call-events',
    '/api/webhook-endpoints',
    `/api/webhook-endpoints/${endpointId}/deliveries`,
    '/api/api-keys',
    '/api/webhook-log?limit=200',
    '/api/audit-log?limit=200',
    '/api/audit-log?format=csv',
    '/api/admin/organization-audit-log?format=csv',
    '/api/admin/organization-audit-log?limit=200',
    '/api/admin/audit-log?limit=200',
    '/api/admin/alerts',
    '/api/admin/call-stats',
    `/api/admin/provisioning-stats?bucket=day&from=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}`,
    '/api/notification-preferences',
    '/api/mailbox',
    '/api/server-info',
    '/api/organizations',
    '/api/members',
    `/api/phone-numbers/${bought[0]}`,
    '/api/phone-numbers/timing',
    '/api/phone-numbers/00000000-0000-4000-8000-000000000000',
  ]) {
    await api(owner, read)
  }
  socket.disconnect()
  expect(csvExports.length).toBe(2)

  // The places searched.
  const dump = (await run('pg_dump', ['--no-owner', database.url], { maxBuffer: 512 * 1024 * 1024 })).stdout
  await server.kill('SIGTERM')
  const places = {
    'database dump (pg_dump)': dump,
    'server stdout and stderr (LOG_LEVEL=trace)': serverOutput,
    'HTTP answers (headers and bodies)': answers
      .map((entry) => `${entry.label} ${entry.status}\n${entry.text}`)
      .join('\n'),
    'Socket.IO events to the owner': socketEvents.join('\n'),
    'CSV exports': csvExports.join('\n'),
  }
  const secrets: Record<string, string[]> = {
    'organisation Vapi API key': [organizationVapiKey],
    'refused Vapi API key': [wrongVapiKey],
    'platform VAPI_API_KEY': [env.platformVapiKey],
    'Vapi webhook secret': [env.vapiWebhookSecret],
    'Twilio Account SID': [twilioAccount.accountSid],
    'Twilio auth token': [twilioAccount.authToken, `${twilioAccount.accountSid}:${twilioAccount.authToken}`],
    'refused Twilio auth token': [wrongTwilioToken, `${twilioAccount.accountSid}:${wrongTwilioToken}`],
    'Twilio API key secret': [twilioAccount.apiKeySecret, `${twilioAccount.apiKeySid}:${twilioAccount.apiKeySecret}`],
    'Telnyx API key': [telnyxAccount.apiKey],
    'refused Telnyx API key': [wrongTelnyxKey],
    'webhook signing secrets': [
      firstSigningSecret,
      firstSigningSecret.replace(/^whsec_/, ''),
      secondSigningSecret,
      secondSigningSecret.replace(/^whsec_/, ''),
    ],
    'call-event bearer token': [forwardCredentials.bearer],
    'call-event X-Vapi-Secret': [forwardCredentials.secret],
    'call-event hmac secret': [forwardCredentials.hmac],
    'API key': [apiKeyValue],
    AUTH_SECRET: [env.authSecret],
    CREDENTIALS_KEY: [env.credentialsKey],
    METRICS_TOKEN: [env.metricsToken],
  }
  const leaks = Object.fromEntries(Object.entries(places).map(([place, text]) => [place, findSecrets(text, secrets)]))

  // Positive controls: the searches find what is there. The sandboxes' state files hold the credentials they issued
  // (and the Vapi sandbox the carrier credentials dialtone gave it for imports); the two reveals hold their secrets;
  // the relay's receiver got the bearer token; the trace log and the dump hold what they should.
  const sandboxStates = (
    await Promise.all(
      ['twilio.json', 'telnyx.json', 'vapi.json'].map((file) => readFile(path.join(stateDir, file), 'utf8')),
    )
  ).join('\n')
  const controls = {
    sandboxStates: findSecrets(sandboxStates, secrets).sort(),
    reveals: findSecrets(reveals.map((entry) => entry.text).join('\n'), secrets).sort(),
    relayReceiver: findSecrets(JSON.stringify(relayReceiver.received.map((entry) => entry.headers)), secrets).sort(),
    encodedForms: findSecrets(Buffer.from(`x${telnyxAccount.apiKey}`).toString('hex').toUpperCase(), {
      'Telnyx API key': [`x${telnyxAccount.apiKey}`],
    }),
  }
  await writeFile(path.join(os.tmpdir(), 'dialtone-secrets-server-output.log'), serverOutput)
  // Nothing logs at trace itself yet: debug (20) is the most verbose level any line uses, and trace lets it through.
  const debugLines = serverOutput.split('\n').filter((line) => line.includes('"level":20')).length
  await writeSummary('secrets-at-rest', {
    secretsSearched: Object.keys(secrets).length,
    forms: ['plain', 'base64', 'base64url', 'hex', 'url-encoded'],
    places: Object.fromEntries(Object.entries(places).map(([place, text]) => [place, { bytes: text.length }])),
    answersSearched: answers.length,
    socketEvents: socketEvents.length,
    csvExports: csvExports.length,
    debugLines,
    leaks,
    controls,
  })

  expect(controls.sandboxStates).toEqual(
    expect.arrayContaining([
      'organisation Vapi API key',
      'platform VAPI_API_KEY',
      'Twilio Account SID',
      'Twilio auth token',
      'Twilio API key secret',
      'Telnyx API key',
    ]),
  )
  expect(controls.reveals).toEqual(['API key', 'webhook signing secrets'])
  expect(controls.relayReceiver).toEqual(['call-event bearer token'])
  expect(controls.encodedForms).toEqual(['Telnyx API key'])
  expect(dump).toContain(owner.email)
  expect(debugLines).toBeGreaterThan(10)
  expect(socketEvents.length).toBeGreaterThan(0)
  expect(leaks).toEqual(Object.fromEntries(Object.keys(places).map((place) => [place, []])))
}, 300_000)
