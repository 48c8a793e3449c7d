import { randomUUID } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { availableNumberListSchema } from '@dialtone/shared/carriers'
import { phoneNumberSchema } from '@dialtone/shared/phone-number'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { grantPlatformAdmin } from '../src/auth/organization-repository.ts'
import { fetchMetrics } from '../test/support/server-process.ts'
import { startWebhookReceiver } from '../test/support/start-webhook-receiver.ts'
import {
  BrowserTab,
  call,
  createNumber,
  postSignedWebhook,
  statusUpdateBody,
  type Owner,
} from './support/chaos-client.ts'
import { startDeliveryStack, type DeliveryStack } from './support/delivery-stack.ts'
import { eventually, inventoryDisagreement } from './support/data-checks.ts'
import { paced, pick, sleep } from './support/pacing.ts'
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts'
import type { ChaosServer } from './support/server-process.ts'
import { percentiles, writeSummary } from './support/summary.ts'
import { soakSeconds } from './support/test-env.ts'

/**
 * Mixed traffic held for a long time (SOAK_SECONDS; 30 minutes for the record, a minute or so in CI): Vapi
 * purchases, carrier purchases at the Twilio and Telnyx sandboxes (bought, then imported into Vapi; Telnyx's orders
 * settle by signed webhook), releases, signed Vapi webhooks (a share of them replays), call events through the relay
 * (one organisation relays to a real HTTP receiver; the Vapi sandbox places calls on its live numbers), sockets
 * connecting and leaving, list reads and admin statistics, with mail and outbound webhooks going out for every
 * number that turns live. Every few seconds the scenario samples the process (resident memory, heap, open file
 * descriptors read from /proc, sockets), the database (connections of this database) and the queues (mail,
 * outbound deliveries, call events waiting to be relayed, carrier purchases not settled, numbers pending).
 *
 * The rule for "flat": the samples after warm-up are cut in thirds, and the last third's highest value may exceed
 * the first third's highest by at most 15 % plus a small constant (memory 20 MB, descriptors 10, queues 10); the
 * database connections stay under the pools' bound throughout; every queue drains to 0 once the traffic stops.
 */

const warmUpShare = 0.25
const relayToken = `soak-relay-token-${randomUUID()}`

let database: ScratchDatabase
let stack: DeliveryStack
let server: ChaosServer

beforeAll(async () => {
  database = await createScratchDatabase()
  stack = await startDeliveryStack(database.url, { min: 300, max: 1_500 }, { withCarriers: true })
  server = stack.server
})

afterAll(async () => {
  await stack?.close()
  await database?.close()
})

interface Sample {
  atSeconds: number
  rssMb: number
  heapUsedMb: number
  openFds: number
  sockets: number
  databaseConnections: number
  mailWaiting: number
  outboundWaiting: number
  callEventsWaiting: number
  carrierPurchasesOpen: number
  pendingNumbers: number
}

const queueNames = [
  'mailWaiting',
  'outboundWaiting',
  'callEventsWaiting',
  'carrierPurchasesOpen',
  'pendingNumbers',
] as const satisfies readonly (keyof Sample)[]

/** The server's open file descriptors, counted in /proc (Linux), as the kernel sees them. */
async function openFileDescriptors(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length
}

/** One value of a Prometheus text exposition, or NaN. */
function metric(text: string, name: string): number {
  const line = text.split('\n').find((entry) => entry.startsWith(`${name} `) || entry.startsWith(`${name}{`))
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : Number.NaN
}

async function sample(startedAt: number): Promise<Sample> {
  const text = await (await fetchMetrics(server.url)).text()
  const connections = await sql<{ count: number }>`
    select count(*)::int as count from pg_stat_activity where datname = current_database()`.execute(database.db)
  const count = async (query: Promise<{ count: number | string | bigint } | undefined>) =>
    Number((await query)?.count ?? 0)
  return {
    atSeconds: Math.round((Date.now() - startedAt) / 100) / 10,
    rssMb: Math.round(metric(text, 'dialtone_process_process_resident_memory_bytes') / 1e5) / 10,
    heapUsedMb: Math.round(metric(text, 'dialtone_process_nodejs_heap_size_used_bytes') / 1e5) / 10,
    openFds: await openFileDescriptors(server.pid),
    sockets: metric(text, 'dialtone_sockets_connected'),
    // The scenario's own pool (at most 5) is counted too; it is steady, so a rise is the server's.
    databaseConnections: connections.rows[0]?.count ?? 0,
    mailWaiting: await count(
      database.db
        .selectFrom('notification_outbox')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('status', 'in', ['queued', 'sending'])
        .executeTakeFirst(),
    ),
    outboundWaiting: await count(
      database.db
        .selectFrom('outbound_webhook_delivery')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('status', '=', 'pending')
        .executeTakeFirst(),
    ),
    callEventsWaiting: await count(
      database.db
        .selectFrom('call_event')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('relay', '=', 'queued')
        .executeTakeFirst(),
    ),
    carrierPurchasesOpen: await count(
      database.db
        .selectFrom('carrier_purchase')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('step', 'in', ['purchasing', 'ordered', 'bought', 'importing', 'releasing'])
        .executeTakeFirst(),
    ),
    pendingNumbers: await count(
      database.db
        .selectFrom('phone_number')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('status', '=', 'pending')
        .executeTakeFirst(),
    ),
  }
}

const maxOf = (values: number[]) => Math.max(...values)

test(
  `soak: ${soakSeconds} s of mixed traffic, memory, descriptors, connections and queues flat after warm-up`,
  async () => {
    const { smtp, receiver, sandbox } = stack
    const carriers = stack.carriers
    if (!carriers) throw new Error('the soak runs with the carrier sandboxes')
    const relayReceiver = await startWebhookReceiver()
    const owners: Owner[] = []
    for (let index = 0; index < 5; index++) owners.push(await stack.ownerWithEndpoint(database.db, `Soak ${index}`))
    const admin = owners[0] as Owner
    expect(await grantPlatformAdmin(database.db, admin.email)).toBe(true)
    // One organisation relays its call events to its own server (a real receiver), with a bearer token.
    const relayOwner = owners[1] as Owner
    const relayOn = await call(`${server.url}/api/call-events`, {
      method: 'PUT',
      cookie: relayOwner.cookie,
      headers: { origin: server.url },
      json: { enabled: true, forwardUrl: relayReceiver.url, forwardAuth: { type: 'bearer', token: relayToken } },
    })
    expect(relayOn.status, JSON.stringify(relayOn.body)).toBe(200)

    const startedAt = Date.now()
    const deadline = startedAt + soakSeconds * 1000
    const answers = new Map<string, number>()
    const latencies: number[] = []
    const count = (key: string) => answers.set(key, (answers.get(key) ?? 0) + 1)
    const live: { id: string; owner: Owner }[] = []
    const samples: Sample[] = []
    const tabs: BrowserTab[] = []
    const callsPlaced: string[] = []
    let tabsOpened = 0

    // Purchases: one every 4 s per organisation (15 a minute, under the limit of 30); the live ones released later.
    const purchases = paced(owners.length, owners.length / 4, deadline, async () => {
      const owner = pick(owners) as Owner
      const answer = await createNumber(server.url, owner, pick(['415', '212', '305', '646']) ?? '415', 20_000)
      count(`create ${answer.status}`)
      latencies.push(answer.ms)
      if (answer.status === 201) live.push({ id: (answer.body as { id: string }).id, owner })
    })
    // Carrier purchases: one every 3 s, Twilio and Telnyx in turn: a search, then the first number offered bought.
    let carrierTurn = 0
    const carrierPurchases = paced(1, 1 / 3, deadline, async () => {
      const carrier = carrierTurn++ % 2 === 0 ? 'twilio' : 'telnyx'
      const owner = pick(owners) as Owner
      const search = await call(`${server.url}/api/available-numbers?carrier=${carrier}&country=US`, {
        cookie: owner.cookie,
      })
      count(`${carrier} search ${search.status}`)
      const offered = availableNumberListSchema.safeParse(search.body)
      const number = offered.success ? pick(offered.data.items)?.number : undefined
      if (!number) return
      const answer = await call(`${server.url}/api/phone-numbers`, {
        method: 'POST',
        cookie: owner.cookie,
        headers: { origin: server.url },
        json: { carrier, number, name: `${owner.name} ${carrier}` },
        timeoutMs: 20_000,
      })
      // 409: another organisation took the same offered number a moment earlier (the sandbox sells it once).
      count(`${carrier} buy ${answer.status}`)
      latencies.push(answer.ms)
      if (answer.status === 201) live.push({ id: (answer.body as { id: string }).id, owner })
    })
    const releases = paced(1, 1, deadline, async () => {
      // Keep about twenty numbers per run held: release the oldest once it has had time to turn live.
      if (live.length < 20) return
      const oldest = live.shift()
      if (!oldest) return
      const answer = await call(`${server.url}/api/phone-numbers/${oldest.id}`, {
        method: 'DELETE',
        cookie: oldest.owner.cookie,
        headers: { origin: server.url },
      })
      count(`release ${answer.status}`)
    })
    // Calls: one every 2 s on a live number of the relaying organisation, rung by the Vapi sandbox.
    const calls = paced(1, 0.5, deadline, async () => {
      const held = live.filter((entry) => entry.owner === relayOwner)
      const chosen = pick(held)
      if (!chosen) return
      const card = phoneNumberSchema.safeParse(
        (await call(`${server.url}/api/phone-numbers/${chosen.id}`, { cookie: relayOwner.cookie })).body,
      )
      if (!card.success || card.data.status !== 'active' || !card.data.vapiPhoneNumberId) return
      const placed = await call<{ callId?: string }>(`${sandbox.url}/_sandbox/calls`, {
        method: 'POST',
        json: { phoneNumberId: card.data.vapiPhoneNumberId, durationMs: 1_000 },
      })
      count(`call ${placed.status}`)
      if (placed.status === 202 && placed.body.callId) callsPlaced.push(placed.body.callId)
    })
    // Vapi webhooks: 20 a second, one in five sent twice with the same message id.
    const webhooks = paced(5, 20, deadline, async () => {
      const messageId = randomUUID()
      const body = statusUpdateBody({ id: randomUUID(), status: 'active', number: '+15550000000' })
      const copies = Math.random() < 0.2 ? 2 : 1
      for (let copy = 0; copy < copies; copy++) {
        const answer = await postSignedWebhook(server.url, body, messageId)
        count(`webhook ${answer.status}`)
        latencies.push(answer.ms)
      }
    })
    // Sockets come and go: a new tab every half second, the oldest closed beyond 30.
    const churn = paced(1, 2, deadline, async () => {
      const tab = new BrowserTab(server.url, pick(owners) as Owner, { reconnect: false })
      tabs.push(tab)
      tabsOpened += 1
      while (tabs.length > 30) tabs.shift()?.close()
    })
    // Reads: lists, and the admin's statistics (provisioning and calls).
    const reads = paced(2, 4, deadline, async () => {
      const roll = Math.random()
      const owner = pick(owners) as Owner
      const from = encodeURIComponent(new Date(Date.now() - 30 * 86_400_000).toISOString())
      const [label, path, cookie] =
        roll < 0.15
          ? ['admin stats', `/api/admin/provisioning-stats?bucket=day&from=${from}`, admin.cookie]
          : roll < 0.25
            ? ['admin call stats', `/api/admin/call-stats`, admin.cookie]
            : ['list', `/api/phone-numbers?limit=50`, owner.cookie]
      const answer = await call(`${server.url}${path}`, { cookie })
      count(`${label} ${answer.status}`)
      latencies.push(answer.ms)
    })
    const sampling = (async () => {
      while (Date.now() < deadline) {
        samples.push(await sample(startedAt))
        await sleep(Math.max(2_000, (soakSeconds * 1000) / 60))
      }
    })()
    await Promise.all([purchases, carrierPurchases, releases, calls, webhooks, churn, reads, sampling])
    for (const tab of tabs.splice(0)) tab.close()

    // After the traffic stops the queues drain to nothing (the last calls end and are relayed first).
    const drained = await eventually(
      () => sample(startedAt),
      (state) => queueNames.every((name) => state[name] === 0),
      { timeoutMs: 90_000, intervalMs: 500 },
    )
    // Nothing lost between dialtone and Vapi: every number held there has its row, and every live row its number.
    const inventory = await inventoryDisagreement(database.db, sandbox.url)
    // The relay: each call message stored was forwarded once, none failed, and the receiver got exactly those.
    const relayed = await database.db
      .selectFrom('call_event')
      .select(['relay', (eb) => eb.fn.countAll<number>().as('count')])
      .where('organization_id', '=', relayOwner.organizationId ?? '')
      .groupBy('relay')
      .execute()
    const relayCounts = Object.fromEntries(relayed.map((row) => [row.relay, Number(row.count)]))
    const relayedKeys = relayReceiver.received.map((entry) => entry.rawBody)
    const duplicatedRelays = relayedKeys.length - new Set(relayedKeys).size
    const unauthorisedRelays = relayReceiver.received.filter(
      (entry) => entry.headers.authorization !== `Bearer ${relayToken}`,
    ).length
    await relayReceiver.close()

    const warm = samples.filter((entry) => entry.atSeconds >= soakSeconds * warmUpShare)
    const third = Math.max(1, Math.floor(warm.length / 3))
    const first = warm.slice(0, third)
    const last = warm.slice(warm.length - third)
    const series = (key: keyof Sample, of: Sample[]) => of.map((entry) => entry[key])
    const compared = (key: keyof Sample) => ({ firstMax: maxOf(series(key, first)), lastMax: maxOf(series(key, last)) })
    const flat: Record<string, { firstMax: number; lastMax: number }> = {
      rssMb: compared('rssMb'),
      heapUsedMb: compared('heapUsedMb'),
      openFds: compared('openFds'),
      databaseConnections: compared('databaseConnections'),
      ...Object.fromEntries(queueNames.map((name) => [name, compared(name)])),
    }
    const latency = percentiles(latencies, [50, 99])
    await writeSummary('soak', {
      soakSeconds,
      answers: Object.fromEntries(answers),
      requestLatencyMs: latency,
      tabsOpened,
      mailsReceived: smtp.received.length,
      outboundReceived: receiver.received.length,
      callsPlaced: callsPlaced.length,
      callEvents: relayCounts,
      relayReceived: relayReceiver.received.length,
      duplicatedRelays,
      unauthorisedRelays,
      inventory: {
        held: inventory.held,
        rows: inventory.rows,
        boughtAndForgotten: inventory.boughtAndForgotten.length,
        rowsWithoutNumber: inventory.rowsWithoutNumber.length,
      },
      flat,
      drainedAfterMs: drained.waitedMs,
      samples,
    })

    expect(samples.length).toBeGreaterThanOrEqual(6)
    expect([...answers.keys()].filter((key) => / 5\d\d$| 0$/.test(key))).toEqual([])
    // Every kind of traffic happened: the figures below are about a run that did all of it.
    for (const kind of ['create 201', 'twilio buy 201', 'telnyx buy 201', 'call 202', 'release 200']) {
      expect(answers.get(kind) ?? 0, kind).toBeGreaterThan(0)
    }
    expect(drained.isDone, JSON.stringify(drained.value)).toBe(true)
    expect(inventory.boughtAndForgotten).toEqual([])
    expect(inventory.rowsWithoutNumber).toEqual([])
    expect(relayCounts.failed ?? 0, 'call events the relay gave up on').toBe(0)
    expect(relayCounts.sent ?? 0, 'call events relayed').toBeGreaterThan(0)
    // Sent: forwarded and acknowledged; answered: an assistant-request the organisation's server answered.
    const forwarded = (relayCounts.sent ?? 0) + (relayCounts.answered ?? 0)
    expect(relayReceiver.received.length, 'each relayed call event arrived once').toBe(forwarded)
    expect(duplicatedRelays).toBe(0)
    expect(unauthorisedRelays).toBe(0)
    // Flat after warm-up: the last third's highest within 15 % (plus a constant) of the first third's highest.
    const within = (key: keyof Sample, constant: number) => {
      const { firstMax, lastMax } = flat[key] ?? compared(key)
      expect(lastMax, `${key}: last third ${lastMax}, first third ${firstMax}`).toBeLessThanOrEqual(
        firstMax * 1.15 + constant,
      )
    }
    within('rssMb', 20)
    within('heapUsedMb', 20)
    within('openFds', 10)
    for (const name of queueNames) within(name, 10)
    // The server's pool holds at most 20, the scenario's 5, the socket adapter's listener a few: bounded throughout.
    expect(maxOf(series('databaseConnections', samples)), 'database connections').toBeLessThanOrEqual(28)
    within('databaseConnections', 2)
    expect(server.hasExited()).toBe(false)
    // The soak's own time plus setup and drain: a 30-minute soak outlasts the suite's default test timeout.
  },
  soakSeconds * 1000 + 5 * 60_000,
)
