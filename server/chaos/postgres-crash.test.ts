import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createScratchPostgres } from '../test/support/test-databases.ts'
import {
  call,
  createNumber,
  postSignedWebhook,
  statusUpdateBody,
  type Answer,
  type Owner,
} from './support/chaos-client.ts'
import { startDeliveryStack, type DeliveryStack } from './support/delivery-stack.ts'
import { eventually, halfWrittenRows, inventoryDisagreement } from './support/data-checks.ts'
import { startOwnPostgres, type OwnPostgres } from './support/own-postgres.ts'
import { paced, pick, sleep } from './support/pacing.ts'
import { writeSummary } from './support/summary.ts'
import { chaosSeconds } from './support/test-env.ts'

/**
 * A real Postgres crash: the scenario's own cluster (never the shared server) is stopped with `pg_ctl stop -m
 * immediate` while purchases, Vapi webhooks, mail and outbound webhooks are being written, stays down a few
 * seconds, and starts again on the same data directory (crash recovery replays the WAL). Afterwards every
 * acknowledged write is there, nothing is done twice, and the same server process serves again.
 */

const beforeSeconds = Math.min(10, Math.max(5, Math.round(chaosSeconds / 3)))
const downSeconds = 4
const afterSeconds = Math.min(15, Math.max(6, Math.round(chaosSeconds / 2)))

let postgres: OwnPostgres
let database: Awaited<ReturnType<typeof createScratchPostgres>>
let stack: DeliveryStack

beforeAll(async () => {
  postgres = await startOwnPostgres()
  database = await createScratchPostgres(postgres.url, { label: 'crash', maxConnections: 4 })
  stack = await startDeliveryStack(database.url, { min: 500, max: 2_500 })
})

afterAll(async () => {
  await stack?.close()
  await database?.close().catch(() => undefined)
  await postgres?.close()
})

type Phase = 'before' | 'down' | 'after'

/** How many of each: `{ "before 201": 7, "down 503": 3 }`. */
function countsOf(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1
  return counts
}

test(`Postgres crashed (pg_ctl stop -m immediate) for ${downSeconds} s under load: every acknowledged write survives, nothing twice, no restart`, async () => {
  const { sandbox, smtp, receiver, server } = stack
  const owners: Owner[] = []
  for (let index = 0; index < 3; index++) owners.push(await stack.ownerWithEndpoint(database.db, `Crash ${index}`))

  let phase: Phase = 'before'
  const creates: { phase: Phase; answer: Answer<{ id: string }> }[] = []
  const webhooks: { phase: Phase; messageId: string; answer: Answer<{ outcome: string }> }[] = []
  const startedAt = Date.now()
  const deadline = startedAt + (beforeSeconds + downSeconds + afterSeconds) * 1000
  const acknowledgedIds: string[] = []

  // Purchases: about one a second across three organisations, under their limits of 30 a minute.
  const createLoad = paced(1, 2, deadline, async () => {
    const owner = pick(owners)
    if (!owner) return
    const sentIn = phase
    const answer = await createNumber(server.url, owner, '415', 20_000)
    creates.push({ phase: sentIn, answer })
  })
  // Vapi webhooks: signed, for numbers that are not ours and re-sent (the same message id twice), so both the
  // plain and the de-duplicating insert are written while Postgres goes away.
  const webhookLoad = paced(4, 10, deadline, async () => {
    const messageId = randomUUID()
    const body = statusUpdateBody({ id: randomUUID(), status: 'active', number: '+15550000000' })
    const sentIn = phase
    for (let copy = 0; copy < 2; copy++) {
      const answer = await postSignedWebhook(server.url, body, messageId, 20_000)
      webhooks.push({ phase: sentIn, messageId, answer })
    }
  })
  const crash = (async () => {
    await sleep(beforeSeconds * 1000)
    await postgres.crash()
    phase = 'down'
    await sleep(downSeconds * 1000)
    await postgres.start()
    phase = 'after'
  })()
  const restartedAt = (async () => {
    await crash
    const ready = await eventually(
      () => call(`${server.url}/readyz`),
      (answer) => answer.status === 200,
      {
        timeoutMs: 60_000,
        intervalMs: 100,
      },
    )
    return ready.isDone ? ready.waitedMs : null
  })()
  await Promise.all([createLoad, webhookLoad, crash])
  const readyAgainAfterMs = await restartedAt

  for (const create of creates) if (create.answer.status === 201) acknowledgedIds.push(create.answer.body.id)
  const acknowledgedMessageIds = new Set(
    webhooks.filter((webhook) => webhook.answer.status === 200).map((webhook) => webhook.messageId),
  )

  // Everything settles: every held number has its row, every row is live, mail and outbound webhooks sent.
  const settled = await eventually(
    async () => {
      const disagreement = await inventoryDisagreement(database.db, sandbox.url)
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
      return {
        ...disagreement,
        notLive: notLive.length,
        mailWaiting: mailWaiting.length,
        webhooksWaiting: webhooksWaiting.length,
      }
    },
    (state) =>
      state.boughtAndForgotten.length === 0 &&
      state.rowsWithoutNumber.length === 0 &&
      state.notLive === 0 &&
      state.mailWaiting === 0 &&
      state.webhooksWaiting === 0,
    { timeoutMs: 90_000, intervalMs: 500 },
  )

  const rows = await database.db.selectFrom('phone_number').select(['id', 'number', 'organization_id']).execute()
  const rowIds = new Set(rows.map((row) => row.id))
  const lostPurchases = acknowledgedIds.filter((id) => !rowIds.has(id))
  const deliveries = await database.db.selectFrom('webhook_delivery').select('delivery_id').execute()
  const deliveryIds = new Set(deliveries.map((row) => row.delivery_id))
  // The delivery's key is the message id header (ingest-vapi-webhook.ts deliveryIdOf).
  const lostWebhooks = [...acknowledgedMessageIds].filter((id) => !deliveryIds.has(`id:${id}`))

  // Mail: one per number that went live (each owner asked for "live" mail by default), never twice.
  const sentMail = await database.db
    .selectFrom('notification_outbox')
    .select(['id', 'status'])
    .where('channel', '=', 'email')
    .execute()
  const mailIds = smtp.received.map((mail) => mail.parsed.messageId ?? '')
  const duplicateMail = mailIds.length - new Set(mailIds).size
  const sentButNotReceived = sentMail
    .filter((row) => row.status === 'sent')
    .filter((row) => !mailIds.includes(`<${row.id}@dialtone>`))

  // Outbound webhooks: each delivery marked delivered reached the receiver; a webhook-id answered 2xx twice is
  // an event delivered twice as a success.
  const outbound = await database.db
    .selectFrom('outbound_webhook_delivery')
    .select(['id', 'status', 'event_type', 'phone_number_id'])
    .execute()
  const receivedIds = receiver.received.map((request) => String(request.headers['webhook-id']))
  const duplicateOutbound = receivedIds.length - new Set(receivedIds).size
  const liveEvents = outbound.filter((row) => row.event_type === 'phone-number.live')
  const numbersWithoutLiveEvent = rows.filter(
    (row) => !liveEvents.some((event) => event.phone_number_id === row.id && event.status === 'succeeded'),
  )

  const halfWritten = await halfWrittenRows(database.db)
  const summary = {
    beforeSeconds,
    downSeconds,
    afterSeconds,
    creates: countsOf(creates.map((create) => `${create.phase} ${create.answer.status}`)),
    webhookAnswers: countsOf(webhooks.map((webhook) => `${webhook.phase} ${webhook.answer.status}`)),
    acknowledgedPurchases: acknowledgedIds.length,
    acknowledgedWebhookMessages: acknowledgedMessageIds.size,
    readyAgainAfterMs,
    settledAfterMs: settled.waitedMs,
    heldAtVapi: settled.value.held,
    rows: rows.length,
    lostPurchases: lostPurchases.length,
    lostWebhooks: lostWebhooks.length,
    boughtAndForgotten: settled.value.boughtAndForgotten.length,
    mailsSent: sentMail.filter((row) => row.status === 'sent').length,
    mailsReceived: mailIds.length,
    duplicateMail,
    mailSentButNotReceived: sentButNotReceived.length,
    outboundDeliveries: countsOf(outbound.map((row) => row.status)),
    outboundReceived: receivedIds.length,
    duplicateOutbound,
    numbersWithoutLiveEvent: numbersWithoutLiveEvent.length,
    serverRestarts: server.hasExited() ? 1 : 0,
  }
  await writeSummary('postgres-crash', summary)

  // The crash happened under load, and the server noticed it.
  expect(creates.some((create) => create.phase === 'before' && create.answer.status === 201)).toBe(true)
  expect(webhooks.some((webhook) => webhook.phase === 'down' && webhook.answer.status === 503)).toBe(true)
  expect(creates.some((create) => create.phase === 'after' && create.answer.status === 201)).toBe(true)
  // Lost: 0. Duplicated: 0. Leaked: 0.
  expect(settled.isDone, JSON.stringify(settled.value)).toBe(true)
  expect(lostPurchases).toEqual([])
  expect(lostWebhooks).toEqual([])
  expect(settled.value.boughtAndForgotten).toEqual([])
  expect(settled.value.numbersNotFromVapi).toEqual([])
  expect(halfWritten).toEqual({
    versionWithoutHistory: [],
    deliveriesMidway: [],
    purchasedWithoutRow: [],
    liveWithoutNumber: [],
  })
  expect(sentButNotReceived).toEqual([])
  expect(mailIds.length).toBeGreaterThan(0)
  expect(duplicateMail).toBe(0)
  expect(numbersWithoutLiveEvent.map((row) => row.id)).toEqual([])
  expect(duplicateOutbound).toBe(0)
  // The same process, never restarted, serves again.
  expect(server.hasExited()).toBe(false)
  expect(readyAgainAfterMs).not.toBeNull()
  expect((await createNumber(server.url, owners[0] as Owner, '305')).status).toBe(201)
})
