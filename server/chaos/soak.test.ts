import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { grantPlatformAdmin } from '../src/auth/organization-repository.ts'
import { fetchMetrics } from '../test/support/server-process.ts'
import {
  BrowserTab,
  call,
  createNumber,
  postSignedWebhook,
  statusUpdateBody,
  type Owner,
} from './support/chaos-client.ts'
import { startDeliveryStack, type DeliveryStack } from './support/delivery-stack.ts'
import { eventually } from './support/data-checks.ts'
import { paced, pick, sleep } from './support/pacing.ts'
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts'
import type { ChaosServer } from './support/server-process.ts'
import { percentiles, writeSummary } from './support/summary.ts'
import { soakSeconds } from './support/test-env.ts'

/**
 * Mixed traffic held for a long time (SOAK_SECONDS; 30 minutes for the record, a minute or so in CI): purchases
 * and releases, signed webhooks (a share of them replays), sockets connecting and leaving, list reads and admin
 * statistics, with mail and outbound webhooks going out for every number that turns live. Every few seconds the
 * scenario samples the process (resident memory, heap, open file descriptors, sockets), the database (connections
 * of this database) and the queues (mail and outbound webhooks waiting, numbers pending). After warm-up, each must
 * stay flat: a leak shows as a rise from the middle of the run to its end.
 */

const warmUpShare = 0.25

let database: ScratchDatabase
let stack: DeliveryStack
let server: ChaosServer

beforeAll(async () => {
  database = await createScratchDatabase()
  stack = await startDeliveryStack(database.url, { min: 300, max: 1_500 })
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
  pendingNumbers: number
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
    openFds: metric(text, 'dialtone_process_process_open_fds'),
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
    pendingNumbers: await count(
      database.db
        .selectFrom('phone_number')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('status', '=', 'pending')
        .executeTakeFirst(),
    ),
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
const maxOf = (values: number[]) => Math.max(...values)

test(
  `soak: ${soakSeconds} s of mixed traffic, memory, descriptors, connections and queues flat after warm-up`,
  async () => {
    const { smtp, receiver } = stack
    const owners: Owner[] = []
    for (let index = 0; index < 5; index++) owners.push(await stack.ownerWithEndpoint(database.db, `Soak ${index}`))
    const admin = owners[0] as Owner
    expect(await grantPlatformAdmin(database.db, admin.email)).toBe(true)

    const startedAt = Date.now()
    const deadline = startedAt + soakSeconds * 1000
    const answers = new Map<string, number>()
    const latencies: number[] = []
    const count = (key: string) => answers.set(key, (answers.get(key) ?? 0) + 1)
    const live: { id: string; owner: Owner }[] = []
    const samples: Sample[] = []
    const tabs: BrowserTab[] = []
    let tabsOpened = 0

    // Purchases: one every 4 s per organisation (15 a minute, under the limit of 30); the live ones released later.
    const purchases = paced(owners.length, owners.length / 4, deadline, async () => {
      const owner = pick(owners) as Owner
      const answer = await createNumber(server.url, owner, pick(['415', '212', '305', '646']) ?? '415', 20_000)
      count(`create ${answer.status}`)
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
    // Reads: lists, and the admin's statistics.
    const reads = paced(2, 4, deadline, async () => {
      const admin = Math.random() < 0.25
      const owner = pick(owners) as Owner
      const answer = admin
        ? await call(
            `${server.url}/api/admin/provisioning-stats?bucket=day&from=${encodeURIComponent(new Date(Date.now() - 30 * 86_400_000).toISOString())}`,
            { cookie: owners[0]?.cookie ?? '' },
          )
        : await call(`${server.url}/api/phone-numbers?limit=50`, { cookie: owner.cookie })
      count(`${admin ? 'admin stats' : 'list'} ${answer.status}`)
      latencies.push(answer.ms)
    })
    const sampling = (async () => {
      while (Date.now() < deadline) {
        samples.push(await sample(startedAt))
        await sleep(Math.max(2_000, (soakSeconds * 1000) / 60))
      }
    })()
    await Promise.all([purchases, releases, webhooks, churn, reads, sampling])
    for (const tab of tabs.splice(0)) tab.close()

    // After the traffic stops the queues drain to nothing.
    const drained = await eventually(
      () => sample(startedAt),
      (state) => state.mailWaiting === 0 && state.outboundWaiting === 0 && state.pendingNumbers === 0,
      { timeoutMs: 60_000, intervalMs: 500 },
    )

    const warm = samples.filter((entry) => entry.atSeconds >= soakSeconds * warmUpShare)
    const third = Math.max(1, Math.floor(warm.length / 3))
    const middle = warm.slice(0, warm.length - third)
    const end = warm.slice(warm.length - third)
    const series = (key: keyof Sample, of: Sample[]) => of.map((entry) => entry[key])
    const flat = {
      rssMb: { middle: median(series('rssMb', middle)), end: median(series('rssMb', end)) },
      heapUsedMb: { middle: median(series('heapUsedMb', middle)), end: median(series('heapUsedMb', end)) },
      openFds: { middle: maxOf(series('openFds', middle)), end: maxOf(series('openFds', end)) },
      databaseConnections: {
        middle: maxOf(series('databaseConnections', middle)),
        end: maxOf(series('databaseConnections', end)),
      },
      mailWaiting: { middle: maxOf(series('mailWaiting', middle)), end: maxOf(series('mailWaiting', end)) },
      outboundWaiting: {
        middle: maxOf(series('outboundWaiting', middle)),
        end: maxOf(series('outboundWaiting', end)),
      },
      pendingNumbers: { middle: maxOf(series('pendingNumbers', middle)), end: maxOf(series('pendingNumbers', end)) },
    }
    const latency = percentiles(latencies, [50, 99])
    await writeSummary('soak', {
      soakSeconds,
      answers: Object.fromEntries(answers),
      requestLatencyMs: latency,
      tabsOpened,
      mailsReceived: smtp.received.length,
      outboundReceived: receiver.received.length,
      flat,
      drainedAfterMs: drained.waitedMs,
      samples,
    })

    expect(samples.length).toBeGreaterThanOrEqual(6)
    expect([...answers.keys()].filter((key) => / 5\d\d$| 0$/.test(key))).toEqual([])
    expect(drained.isDone, JSON.stringify(drained.value)).toBe(true)
    // Flat after warm-up: the end of the run holds no more than the middle, with room for the collector's rhythm.
    expect(flat.rssMb.end, 'resident memory').toBeLessThan(flat.rssMb.middle * 1.25 + 20)
    expect(flat.heapUsedMb.end, 'heap').toBeLessThan(flat.heapUsedMb.middle * 1.5 + 15)
    // Descriptors follow the sockets and database connections in use at the moment: room for their swing.
    expect(flat.openFds.end, 'file descriptors').toBeLessThanOrEqual(flat.openFds.middle * 1.25 + 10)
    // The server's pool holds at most 20, the scenario's 5, the socket adapter's listener a few: bounded throughout.
    expect(maxOf(series('databaseConnections', samples)), 'database connections').toBeLessThanOrEqual(28)
    expect(flat.mailWaiting.end, 'mail queue').toBeLessThanOrEqual(flat.mailWaiting.middle * 2 + 10)
    expect(flat.outboundWaiting.end, 'outbound queue').toBeLessThanOrEqual(flat.outboundWaiting.middle * 2 + 10)
    expect(flat.pendingNumbers.end, 'pending numbers').toBeLessThanOrEqual(flat.pendingNumbers.middle * 2 + 10)
    expect(server.hasExited()).toBe(false)
    // The soak's own time plus setup and drain: a 30-minute soak outlasts the suite's default test timeout.
  },
  soakSeconds * 1000 + 5 * 60_000,
)
