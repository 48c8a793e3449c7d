import { availableNumberListSchema } from '@dialtone/shared/carriers'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { z } from 'zod'
import { startTwilioSandbox, type RunningTwilioSandbox } from '../src/carrier-sandbox/start-carrier-sandboxes.ts'
import { defaultPurchaseLeaseMs } from '../src/carrier-purchases/carrier-purchase-deps.ts'
import { startVapiSandbox, type RunningVapiSandbox } from '../src/vapi-sandbox/start-vapi-sandbox.ts'
import { findFreePort } from '../test/support/cluster-client.ts'
import { call, signUpOwner, type Owner } from './support/chaos-client.ts'
import { eventually } from './support/data-checks.ts'
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts'
import { chaosWebhookSecret, startServer, type ChaosServer } from './support/server-process.ts'
import { writeSummary } from './support/summary.ts'

/**
 * A carrier purchase (buy at Twilio, then import into Vapi) whose server process is SIGKILLed in the middle of
 * each remote step: while Twilio is selling the number, and while Vapi is importing it. A second process on the
 * same database finishes the saga: it sees the dead process's heartbeat stop and takes the saga over after ten
 * silent seconds, not after the 60 s lease. Afterwards every system agrees: the number is held once at Twilio,
 * once at Vapi, one live card; nothing bought and forgotten anywhere.
 */

let database: ScratchDatabase
let twilio: RunningTwilioSandbox
let vapi: RunningVapiSandbox
let survivor: ChaosServer
const servers: ChaosServer[] = []
let owner: Owner
const remoteLatencyMs = 4_000

async function startProcess(port: number): Promise<ChaosServer> {
  const started = startServer({
    port,
    databaseUrl: database.url,
    vapiBaseUrl: vapi.url,
    env: { VAPI_MAX_RPS: '100', TWILIO_BASE_URL: twilio.baseUrl },
  })
  servers.push(started)
  await started.waitReady()
  return started
}

beforeAll(async () => {
  database = await createScratchDatabase()
  twilio = await startTwilioSandbox({ port: 0 })
  vapi = await startVapiSandbox({
    port: 0,
    minDelayMs: 200,
    maxDelayMs: 400,
    freeNumberLimit: 1_000,
    webhookSecret: chaosWebhookSecret,
    carriers: { twilioBaseUrl: twilio.baseUrl },
  })
  survivor = await startProcess(await findFreePort())
  owner = await signUpOwner(survivor.url, database.db, 'Saga Owner')
})
afterAll(async () => {
  for (const each of servers) await each.kill('SIGKILL')
  await vapi.close()
  await twilio.close()
  await database.close()
})

const heldSchema = z.array(
  z.looseObject({
    phoneNumber: z.string().optional(),
    phone_number: z.string().optional(),
    number: z.string().optional(),
    releasedAt: z.string().nullable().optional(),
  }),
)

const requestLogSchema = z.array(z.looseObject({ method: z.string(), path: z.string(), status: z.number().nullable() }))

async function stillHeld(url: string, number: string) {
  const response = await fetch(url)
  return heldSchema
    .parse(await response.json())
    .filter((entry) => (entry.phoneNumber ?? entry.phone_number ?? entry.number) === number && !entry.releasedAt)
}

async function pickAvailableNumber(baseUrl: string): Promise<string> {
  const found = await call(`${baseUrl}/api/available-numbers?carrier=twilio&country=US&areaCode=415`, {
    cookie: owner.cookie,
  })
  expect(found.status, JSON.stringify(found.body)).toBe(200)
  const page = availableNumberListSchema.parse(found.body)
  const taken = new Set(
    (await database.db.selectFrom('carrier_purchase').select('number').execute()).map((row) => row.number),
  )
  const free = page.items.find((item) => !taken.has(item.number))
  if (!free) throw new Error('no number left to buy in the search')
  return free.number
}

async function setFaults(sandboxUrl: string, faults: Record<string, unknown> | null) {
  await fetch(`${sandboxUrl}/_sandbox/faults`, {
    method: faults ? 'POST' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    ...(faults ? { body: JSON.stringify(faults) } : {}),
  })
}

/** Buys on a process of its own, kills that process once the saga reached `killAt`, and times the takeover. */
async function killMidStep(killAt: 'purchasing' | 'importing', slowSandboxUrl: string) {
  const doomed = await startProcess(await findFreePort())
  const number = await pickAvailableNumber(doomed.url)
  await setFaults(slowSandboxUrl, { latencyMs: remoteLatencyMs })
  const request = call(`${doomed.url}/api/phone-numbers`, {
    method: 'POST',
    cookie: owner.cookie,
    headers: { origin: doomed.url },
    json: { carrier: 'twilio', number, name: `killed while ${killAt}` },
    timeoutMs: 60_000,
  })
  const reached = await eventually(
    async () =>
      database.db
        .selectFrom('carrier_purchase')
        .select(['id', 'step', 'claimed_by'])
        .where('number', '=', number)
        .executeTakeFirst(),
    (row) => row?.step === killAt && row.claimed_by !== null,
    { timeoutMs: 20_000, intervalMs: 20 },
  )
  expect(reached.isDone, `the saga never reached ${killAt}`).toBe(true)
  const purchaseId = reached.value?.id ?? ''
  if (killAt === 'purchasing') {
    // The buy has reached Twilio (logged, held by the latency fault): Twilio will sell the number after the process
    // that asked is gone, the case where a number could be bought and forgotten.
    const atTwilio = await eventually(
      async () => requestLogSchema.parse(await (await fetch(`${twilio.url}/_sandbox/requests`)).json()),
      (entries) =>
        entries.some(
          (entry) =>
            entry.method === 'POST' && entry.path.endsWith('/IncomingPhoneNumbers.json') && entry.status === null,
        ),
      { timeoutMs: 10_000, intervalMs: 20 },
    )
    expect(atTwilio.isDone, 'the buy never reached Twilio').toBe(true)
  }
  // The request is in the middle of the remote call: the process dies there.
  await doomed.kill('SIGKILL')
  const killedAt = Date.now()
  await request.catch(() => null)
  await setFaults(slowSandboxUrl, null)

  const finished = await eventually(
    async () =>
      database.db
        .selectFrom('carrier_purchase')
        .select(['step', 'settled_at', 'claimed_by', 'phone_number_id'])
        .where('id', '=', purchaseId)
        .executeTakeFirstOrThrow(),
    (row) => row.settled_at !== null,
    { timeoutMs: defaultPurchaseLeaseMs + 30_000, intervalMs: 100 },
  )
  const takeoverMs = Date.now() - killedAt
  console.log(`saga killed while ${killAt}: finished by the other process ${takeoverMs} ms after the SIGKILL`)
  expect(finished.value.step).toBe('live')

  // Every system agrees: one live card, the number held once at Twilio and once at Vapi.
  const cards = await database.db
    .selectFrom('phone_number')
    .select(['id', 'status', 'vapi_phone_number_id'])
    .where('number', '=', number)
    .execute()
  expect(cards).toHaveLength(1)
  expect(cards[0]?.status).toBe('active')
  expect(await stillHeld(`${twilio.url}/_sandbox/numbers`, number)).toHaveLength(1)
  const atVapi = await stillHeld(`${vapi.url}/_sandbox/phone-numbers`, number)
  expect(atVapi).toHaveLength(1)
  return { number, takeoverMs }
}

test('SIGKILL mid carrier purchase (at Twilio, then at Vapi): another process finishes each saga well within the lease', async () => {
  const atCarrier = await killMidStep('purchasing', twilio.url)
  const atVapi = await killMidStep('importing', vapi.url)
  for (const each of [atCarrier, atVapi]) {
    // Ten silent seconds and a worker round, against the 60 s lease a dead holder's saga used to wait out.
    expect(each.takeoverMs).toBeLessThan(defaultPurchaseLeaseMs / 2)
  }
  // Nothing else was bought anywhere: the sandboxes hold exactly the two numbers.
  const twilioHeld = heldSchema
    .parse(await (await fetch(`${twilio.url}/_sandbox/numbers`)).json())
    .filter((entry) => !entry.releasedAt)
  expect(twilioHeld).toHaveLength(2)
  await writeSummary('saga-faults', {
    leaseMs: defaultPurchaseLeaseMs,
    takeoverMsKilledAtCarrier: atCarrier.takeoverMs,
    takeoverMsKilledAtVapi: atVapi.takeoverMs,
    lost: 0,
    duplicated: 0,
    leaked: 0,
  })
})

test('Twilio failing at the buy (500 after selling the number, 500 before): the saga asks Twilio and agrees with it', async () => {
  const soldThenFailed = await pickAvailableNumber(survivor.url)
  const buy = (number: string) =>
    call<{ error?: { code: string } }>(`${survivor.url}/api/phone-numbers`, {
      method: 'POST',
      cookie: owner.cookie,
      headers: { origin: survivor.url },
      json: { carrier: 'twilio', number },
    })
  await setFaults(twilio.url, { lostPurchaseAnswerRate: 1 })
  const first = await buy(soldThenFailed)
  await setFaults(twilio.url, null)
  const neverSold = await pickAvailableNumber(survivor.url)
  expect(neverSold).not.toBe(soldThenFailed)
  await setFaults(twilio.url, { errorRate: 1 })
  const second = await buy(neverSold)
  await setFaults(twilio.url, null)
  // Neither answer can say whether the number was bought: the owner is told so, not "nothing was bought".
  expect(first.body.error?.code, JSON.stringify(first.body)).toBe('CARRIER_UNAVAILABLE')
  expect(second.body.error?.code, JSON.stringify(second.body)).toBe('CARRIER_UNAVAILABLE')

  const settled = await eventually(
    async () =>
      database.db
        .selectFrom('carrier_purchase')
        .select(['number', 'step', 'settled_at'])
        .where('number', 'in', [soldThenFailed, neverSold])
        .execute(),
    (rows) => rows.length === 2 && rows.every((row) => row.settled_at !== null),
    { timeoutMs: defaultPurchaseLeaseMs, intervalMs: 200 },
  )
  expect(settled.isDone).toBe(true)
  const stepOf = (number: string) => settled.value.find((row) => row.number === number)?.step
  // Sold before the 500: found at Twilio by its tag, imported, live; held once at Twilio and once at Vapi.
  expect(stepOf(soldThenFailed)).toBe('live')
  expect(await stillHeld(`${twilio.url}/_sandbox/numbers`, soldThenFailed)).toHaveLength(1)
  expect(await stillHeld(`${vapi.url}/_sandbox/phone-numbers`, soldThenFailed)).toHaveLength(1)
  // Failed before anything was done: closed as nothing bought; nothing held anywhere, no card.
  expect(stepOf(neverSold)).toBe('refused')
  expect(await stillHeld(`${twilio.url}/_sandbox/numbers`, neverSold)).toHaveLength(0)
  expect(await stillHeld(`${vapi.url}/_sandbox/phone-numbers`, neverSold)).toHaveLength(0)
  const cards = await database.db
    .selectFrom('phone_number')
    .select(['number', 'status'])
    .where('number', 'in', [soldThenFailed, neverSold])
    .execute()
  expect(cards).toEqual([{ number: soldThenFailed, status: 'active' }])
})
