import { afterAll, beforeAll, expect, test } from 'vitest'
import { startVapiSandbox, type RunningVapiSandbox } from '../src/vapi-sandbox/start-vapi-sandbox.ts'
import { findFreePort } from '../test/support/cluster-client.ts'
import { startSmtpReceiver, type SmtpReceiver } from '../test/support/smtp-receiver.ts'
import { startWebhookReceiver } from '../test/support/start-webhook-receiver.ts'
import { call, createNumber, signUpOwner, type Owner } from './support/chaos-client.ts'
import { eventually } from './support/data-checks.ts'
import { sleep } from './support/pacing.ts'
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts'
import { chaosWebhookSecret, startServer, type ChaosServer } from './support/server-process.ts'
import { writeSummary } from './support/summary.ts'

/**
 * The server process SIGKILLed again and again while it is sending outbound webhooks (to a receiver that takes
 * 800 ms to answer, so sends are in flight) and mail. Each time a new process starts on the same port and database.
 * Afterwards: every number's "live" webhook and mail went out (lost: 0), dialtone records each as sent once, a
 * receiver sees a repeat only of a send the killed process had in flight (same webhook-id, same Message-ID), and
 * what the dead process held is taken over within seconds (its heartbeat stops), not after the 60 s lease.
 */

const kills = 3
const receiverDelayMs = 800
const webhookLeaseMs = 60_000

let database: ScratchDatabase
let sandbox: RunningVapiSandbox
let smtp: SmtpReceiver
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
let port: number
let server: ChaosServer
const servers: ChaosServer[] = []

async function startOnPort(): Promise<ChaosServer> {
  const started = startServer({
    port,
    databaseUrl: database.url,
    vapiBaseUrl: sandbox.url,
    env: {
      VAPI_MAX_RPS: '100',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'dialtone <numbers@dialtone.test>',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    },
  })
  servers.push(started)
  await started.waitReady()
  return started
}

beforeAll(async () => {
  database = await createScratchDatabase()
  sandbox = await startVapiSandbox({
    port: 0,
    minDelayMs: 300,
    maxDelayMs: 2_000,
    freeNumberLimit: 1_000_000,
    webhookSecret: chaosWebhookSecret,
  })
  smtp = await startSmtpReceiver()
  receiver = await startWebhookReceiver({ delayMs: receiverDelayMs })
  port = await findFreePort()
  server = await startOnPort()
})
afterAll(async () => {
  for (const each of servers) await each.kill('SIGKILL')
  await receiver.close()
  await smtp.stop()
  await sandbox.close()
  await database.close()
})

/** What the running process holds right now: sends it has claimed and not yet recorded. */
async function inFlight() {
  const deliveries = await database.db
    .selectFrom('outbound_webhook_delivery')
    .select('id')
    .where('status', '=', 'pending')
    .where('claimed_by', 'is not', null)
    .execute()
  const mail = await database.db
    .selectFrom('notification_outbox')
    .select('id')
    .where('status', '=', 'sending')
    .where('claimed_by', 'is not', null)
    .execute()
  return { deliveries: deliveries.map((row) => row.id), mail: mail.map((row) => row.id) }
}

test(`SIGKILL ${kills} times while webhooks and mail are in flight: nothing lost, nothing recorded twice, taken over in seconds`, async () => {
  const owners: Owner[] = []
  for (const name of ['Killed A', 'Killed B']) {
    const owner = await signUpOwner(server.url, database.db, name)
    const endpoint = await call(`${server.url}/api/webhook-endpoints`, {
      method: 'POST',
      cookie: owner.cookie,
      headers: { origin: server.url },
      json: { url: `${new URL(receiver.url).origin}/receiver/${encodeURIComponent(name)}` },
    })
    expect(endpoint.status).toBe(201)
    owners.push(owner)
  }

  const bought: string[] = []
  const heldAtKill: { deliveries: string[]; mail: string[] }[] = []
  const takeoverMs: number[] = []
  for (let round = 0; round < kills; round++) {
    for (const owner of owners) {
      for (let index = 0; index < 3; index++) {
        const answer = await createNumber(server.url, owner, '415')
        expect(answer.status, JSON.stringify(answer.body)).toBe(201)
        bought.push(answer.body.id)
      }
    }
    // Wait until the process is in the middle of a send, then kill it there.
    const busy = await eventually(inFlight, (held) => held.deliveries.length > 0, {
      timeoutMs: 20_000,
      intervalMs: 25,
    })
    heldAtKill.push(busy.value)
    await server.kill('SIGKILL')
    const killedAt = Date.now()
    server = await startOnPort()
    // Each send the dead process held is finished by the new one.
    const finished = await eventually(
      async () =>
        database.db
          .selectFrom('outbound_webhook_delivery')
          .select('id')
          .where('id', 'in', busy.value.deliveries)
          .where('status', '=', 'pending')
          .execute(),
      (pending) => pending.length === 0,
      { timeoutMs: webhookLeaseMs, intervalMs: 100 },
    )
    expect(finished.isDone).toBe(true)
    takeoverMs.push(Date.now() - killedAt)
    await sleep(200)
  }

  // Everything settles: every number live, its webhook and mail sent.
  const settled = await eventually(
    async () => {
      const notLive = await database.db
        .selectFrom('phone_number')
        .select('id')
        .where('status', '!=', 'active')
        .execute()
      const mailWaiting = await database.db
        .selectFrom('notification_outbox')
        .select('id')
        .where('status', 'in', ['queued', 'sending'])
        .execute()
      const webhooksWaiting = await database.db
        .selectFrom('outbound_webhook_delivery')
        .select('id')
        .where('status', '=', 'pending')
        .execute()
      return { notLive: notLive.length, mailWaiting: mailWaiting.length, webhooksWaiting: webhooksWaiting.length }
    },
    (state) => state.notLive === 0 && state.mailWaiting === 0 && state.webhooksWaiting === 0,
    { timeoutMs: 90_000, intervalMs: 250 },
  )
  expect(settled.isDone, JSON.stringify(settled.value)).toBe(true)

  // Lost: 0 — every number has its live webhook recorded as delivered, and it reached the receiver.
  const liveEvents = await database.db
    .selectFrom('outbound_webhook_delivery')
    .select(['id', 'phone_number_id', 'status'])
    .where('event_type', '=', 'phone-number.live')
    .execute()
  const withoutLiveEvent = bought.filter(
    (id) => !liveEvents.some((event) => event.phone_number_id === id && event.status === 'succeeded'),
  )
  expect(withoutLiveEvent).toEqual([])
  const receivedIds = receiver.received.map((request) => String(request.headers['webhook-id']))
  const webhookIdOfDelivery = (id: string) => `msg_${id.replaceAll('-', '')}`
  expect(liveEvents.filter((event) => !receivedIds.includes(webhookIdOfDelivery(event.id)))).toEqual([])
  // Recorded twice: 0 — one delivery row per event, one success each.
  const perNumber = new Map<string, number>()
  for (const event of liveEvents)
    perNumber.set(event.phone_number_id ?? '', (perNumber.get(event.phone_number_id ?? '') ?? 0) + 1)
  expect([...perNumber.values()].filter((count) => count !== 1)).toEqual([])

  // Repeats at the receiver: only of sends the killed process held, always under the same webhook-id.
  const heldDeliveries = new Set(heldAtKill.flatMap((held) => held.deliveries.map(webhookIdOfDelivery)))
  const repeatedIds = [...new Set(receivedIds.filter((id, index) => receivedIds.indexOf(id) !== index))]
  expect(repeatedIds.filter((id) => !heldDeliveries.has(id))).toEqual([])

  // Mail: one per number that went live, received; a repeat only of a mail the killed process held.
  const sentMail = await database.db
    .selectFrom('notification_outbox')
    .select(['id', 'status'])
    .where('channel', '=', 'email')
    .execute()
  const mailIds = smtp.received.map((mail) => mail.parsed.messageId ?? '')
  expect(sentMail.filter((row) => row.status !== 'sent')).toEqual([])
  expect(sentMail.filter((row) => !mailIds.includes(`<${row.id}@dialtone>`))).toEqual([])
  const heldMail = new Set(heldAtKill.flatMap((held) => held.mail.map((id) => `<${id}@dialtone>`)))
  const repeatedMail = [...new Set(mailIds.filter((id, index) => mailIds.indexOf(id) !== index))]
  expect(repeatedMail.filter((id) => !heldMail.has(id))).toEqual([])

  // Taken over well before the lease would have let anyone else try.
  for (const ms of takeoverMs) expect(ms).toBeLessThan(webhookLeaseMs / 2)

  await writeSummary('outbound-kill', {
    kills,
    numbers: bought.length,
    sendsHeldAtKill: heldAtKill.map((held) => ({ webhooks: held.deliveries.length, mail: held.mail.length })),
    takeoverMs,
    webhooksReceived: receivedIds.length,
    webhookRepeats: repeatedIds.length,
    mailReceived: mailIds.length,
    mailRepeats: repeatedMail.length,
    lost: withoutLiveEvent.length,
  })
})
