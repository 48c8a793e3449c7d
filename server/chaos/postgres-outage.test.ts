import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startVapiSandbox, type RunningVapiSandbox } from '../src/vapi-sandbox/start-vapi-sandbox.ts'
import {
  BrowserTab,
  call,
  createNumber,
  postSignedWebhook,
  signUpOwner,
  statusUpdateBody,
  type Answer,
  type Owner,
} from './support/chaos-client.ts'
import { eventually, halfWrittenRows } from './support/data-checks.ts'
import { paced, pick, sleep } from './support/pacing.ts'
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts'
import { findFreePort } from '../test/support/cluster-client.ts'
import { chaosWebhookSecret, startServer, type ChaosServer } from './support/server-process.ts'
import { percentiles, tally, writeSummary } from './support/summary.ts'
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts'
import { chaosSeconds } from './support/test-env.ts'
import { vapiIdOf } from '../test/support/vapi-id-of.ts'

/**
 * Postgres goes away under load and comes back — simulated by cutting a proxy between the server and the shared
 * Postgres, which others are using and must not be restarted. While it is away webhooks answer 503 (so Vapi
 * retries) and reads answer 503; nothing is half-written; when it is back the same process serves again.
 */

const outageSeconds = Math.min(20, Math.max(8, Math.round(chaosSeconds / 8)))
const beforeSeconds = 6
const afterSeconds = 8

let database: ScratchDatabase
let sandbox: RunningVapiSandbox
let proxy: TcpProxy
let server: ChaosServer

beforeAll(async () => {
  database = await createScratchDatabase()
  sandbox = await startVapiSandbox({
    port: 0,
    minDelayMs: 1_000,
    maxDelayMs: 3_000,
    freeNumberLimit: 1_000_000,
    webhookSecret: chaosWebhookSecret,
  })
  proxy = await startTcpProxy({ host: database.host, port: database.port })
  server = startServer({
    port: await findFreePort(),
    databaseUrl: database.urlVia('127.0.0.1', proxy.port),
    vapiBaseUrl: sandbox.url,
    env: { VAPI_MAX_RPS: '100' },
  })
  await server.waitReady()
})

afterAll(async () => {
  await server.kill('SIGKILL')
  await proxy.close()
  await sandbox.close()
  await database.close()
})

type Phase = 'before' | 'outage' | 'after' | 'boundary'

/** Where a request falls: wholly inside a phase, or across the cut or the restore (either answer is right). */
function phaseOf(sentIn: Phase, answeredIn: Phase): Phase {
  return sentIn === answeredIn ? sentIn : 'boundary'
}

interface Pending {
  id: string
  vapiPhoneNumberId: string
  owner: Owner
  activatedWith: string | null
}

test(`Postgres away for ${outageSeconds} s under load: 503s while away, nothing half-written, recovery without a restart`, async () => {
  const owners: Owner[] = []
  for (let index = 0; index < 5; index++) owners.push(await signUpOwner(server.url, database.db, `Outage ${index}`))
  const tabs = owners.flatMap((owner) => [0, 1, 2].map(() => new BrowserTab(server.url, owner, { reconnect: true })))
  await Promise.all(tabs.map((tab) => tab.waitConnected()))
  // Numbers the sandbox never assigns (534): our webhooks turn them live, before, during and after the outage.
  const pending: Pending[] = []
  for (const owner of owners) {
    for (let index = 0; index < 20; index++) {
      const answer = await createNumber(server.url, owner, '534')
      expect(answer.status).toBe(201)
      pending.push({ id: answer.body.id, vapiPhoneNumberId: vapiIdOf(answer.body), owner, activatedWith: null })
    }
  }

  let phase: Phase = 'before'
  const webhooks: {
    phase: Phase
    messageId: string
    body: string
    target: Pending | null
    answer: Answer<{ outcome: string }>
  }[] = []
  const reads: { phase: Phase; kind: string; answer: Answer<{ error?: { code: string } }> }[] = []
  let counter = 0
  const startedAt = Date.now()
  const deadline = startedAt + (beforeSeconds + outageSeconds + afterSeconds) * 1000

  const webhookLoad = paced(4, 20, deadline, async () => {
    const target = pick(pending.filter((number) => number.activatedWith === null))
    counter += 1
    const messageId = randomUUID()
    let body = statusUpdateBody({ id: randomUUID(), status: 'active', number: '+15550000000' })
    if (target && Math.random() < 0.15) {
      target.activatedWith = `+1534${String(4_000_000 + counter).padStart(7, '0')}`
      body = statusUpdateBody({ id: target.vapiPhoneNumberId, status: 'active', number: target.activatedWith })
    }
    const sentIn = phase
    const answer = await postSignedWebhook(server.url, body, messageId, 20_000)
    webhooks.push({
      phase: phaseOf(sentIn, phase),
      messageId,
      body,
      target: body.includes(target?.vapiPhoneNumberId ?? '-') ? (target ?? null) : null,
      answer,
    })
  })
  const readLoad = paced(2, 10, deadline, async () => {
    const owner = pick(owners)
    if (!owner) return
    // Creates are a tenth, so the five organisations stay under 30 a minute.
    const roll = Math.random()
    const kind = roll < 0.1 ? 'create' : roll < 0.55 ? 'list' : roll < 0.8 ? 'readyz' : 'healthz'
    const sentIn = phase
    const answer =
      kind === 'create'
        ? await createNumber(server.url, owner, '415', 20_000)
        : await call<{ error?: { code: string } }>(
            `${server.url}${kind === 'list' ? '/api/phone-numbers?limit=20' : `/${kind}`}`,
            { cookie: owner.cookie, timeoutMs: 20_000 },
          )
    reads.push({ phase: phaseOf(sentIn, phase), kind, answer })
  })
  const outage = (async () => {
    await sleep(beforeSeconds * 1000)
    await proxy.cut()
    phase = 'outage'
    const cutAt = Date.now()
    await sleep(outageSeconds * 1000)
    await proxy.restore()
    phase = 'after'
    const restoredAt = Date.now()
    const ready = await eventually(
      () => call(`${server.url}/readyz`),
      (answer) => answer.status === 200,
      { timeoutMs: 30_000, intervalMs: 100 },
    )
    return { cutAt, restoredAt, readyAfterMs: ready.isDone ? ready.waitedMs : null }
  })()
  await Promise.all([webhookLoad, readLoad])
  const { readyAfterMs } = await outage
  await sleep(500)

  const inPhase = <T extends { phase: Phase }>(items: T[], which: Phase) => items.filter((item) => item.phase === which)
  // Webhooks sent while the database was away: each answered 503 (never 500, never a hang), telling Vapi to retry.
  const outageWebhooks = inPhase(webhooks, 'outage')
  const outageWebhookStatuses = new Map<string, number>()
  for (const webhook of outageWebhooks) tally(outageWebhookStatuses, String(webhook.answer.status || 'no answer'))
  const outageReadStatuses = new Map<string, number>()
  for (const read of inPhase(reads, 'outage')) {
    tally(
      outageReadStatuses,
      `${read.kind} ${read.answer.status || 'no answer'} ${read.answer.body?.error?.code ?? ''}`.trim(),
    )
  }

  // Vapi retrying: every webhook that was not acknowledged is sent again, now that the database is back.
  const retriedOutcomes = new Map<string, number>()
  for (const webhook of webhooks.filter((entry) => entry.answer.status !== 200)) {
    const again = await postSignedWebhook(server.url, webhook.body, webhook.messageId)
    expect(again.status).toBe(200)
    tally(retriedOutcomes, again.body.outcome)
  }

  // Every activation is now in effect exactly once, and nothing stopped half-way.
  const activated = pending.filter((number) => number.activatedWith !== null)
  const rows = await database.db
    .selectFrom('phone_number')
    .select(['id', 'status', 'number', 'version'])
    .where(
      'id',
      'in',
      activated.map((number) => number.id),
    )
    .execute()
  const wrong = activated.filter((number) => {
    const row = rows.find((candidate) => candidate.id === number.id)
    return row?.status !== 'active' || row.number !== number.activatedWith || row.version !== 2
  })
  const halfWritten = await halfWrittenRows(database.db)

  // Tabs were never dropped by the outage, and changes made after it still reach them.
  const afterTransitions = webhooks.filter(
    (webhook) => webhook.phase === 'after' && webhook.answer.body?.outcome === 'transitioned' && webhook.target,
  )
  const missed = await eventually(
    async () =>
      afterTransitions.flatMap((webhook) =>
        tabs
          .filter((tab) => tab.owner === webhook.target?.owner)
          .filter((tab) => !tab.received.some((event) => event.id === webhook.target?.id && event.status === 'active')),
      ),
    (list) => list.length === 0,
    { timeoutMs: 10_000 },
  )
  const tabDisconnects = tabs.reduce((sum, tab) => sum + tab.disconnects, 0)
  const tabDisconnectReasons = [...new Set(tabs.flatMap((tab) => tab.disconnectReasons))]
  for (const tab of tabs) tab.close()

  await writeSummary('postgres-outage', {
    outageSeconds,
    webhooksSent: webhooks.length,
    webhooksDuringOutage: outageWebhooks.length,
    webhookAnswersDuringOutage: Object.fromEntries(outageWebhookStatuses),
    webhookLatencyDuringOutage: percentiles(outageWebhooks.map((webhook) => webhook.answer.ms)),
    readsDuringOutage: Object.fromEntries(outageReadStatuses),
    readyAgainAfterMs: readyAfterMs,
    requestsAcrossCutOrRestore: inPhase(webhooks, 'boundary').length + inPhase(reads, 'boundary').length,
    retriedAfterOutage: Object.fromEntries(retriedOutcomes),
    activations: activated.length,
    activationsNotInEffectOnce: wrong.length,
    transitionsAfterOutageMissedByATab: missed.value.length,
    tabDisconnects,
    tabDisconnectReasons,
    serverRestarts: 0,
    processStillRunning: !server.hasExited(),
  })

  expect(server.hasExited()).toBe(false)
  expect(outageWebhooks.length).toBeGreaterThan(0)
  expect([...outageWebhookStatuses.keys()]).toEqual(['503'])
  for (const read of inPhase(reads, 'outage')) {
    if (read.kind === 'healthz') expect(read.answer.status).toBe(200)
    else expect(read.answer.status, `${read.kind} during the outage`).toBe(503)
  }
  expect(readyAfterMs).not.toBeNull()
  expect(inPhase(webhooks, 'after').length).toBeGreaterThan(0)
  expect(wrong.map((number) => number.id)).toEqual([])
  expect(halfWritten).toEqual({
    versionWithoutHistory: [],
    deliveriesMidway: [],
    purchasedWithoutRow: [],
    liveWithoutNumber: [],
  })
  expect(missed.value).toEqual([])
  expect(tabDisconnectReasons).toEqual([])
})
