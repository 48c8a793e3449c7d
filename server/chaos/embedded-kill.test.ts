import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { allMigrations } from '@dialtone/migrations/all-migrations'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createDatabase } from '../src/db/create-database.ts'
import { lockFileName } from '../src/db/data-dir-lock.ts'
import { findFreePort } from '../test/support/cluster-client.ts'
import {
  buildCompiledServer,
  serverPackageDir,
  spawnServerProcess,
  type ServerProcess,
} from '../test/support/server-process.ts'
import { inheritedPath } from '../test/support/test-env.ts'
import {
  call,
  createNumber,
  postSignedWebhook,
  signUpOwner,
  statusUpdateBody,
  type Answer,
  type Owner,
} from './support/chaos-client.ts'
import { halfWrittenRows } from './support/data-checks.ts'
import { paced, pick, sleep } from './support/pacing.ts'
import { tally, writeSummary } from './support/summary.ts'
import { chaosSeconds } from './support/test-env.ts'
import { vapiIdOf } from '../test/support/vapi-id-of.ts'

/**
 * `pnpm start` as a new user runs it: the compiled server on the embedded PGlite in a DATA_DIR of its own, with the
 * in-process Vapi sandbox and the secrets it generates. Purchases and signed webhooks are written while the process
 * is SIGKILLed at a random moment (three times), restarted on the same DATA_DIR each time. Afterwards every
 * acknowledged write is there, nothing is there twice, the database opens and serves, and a second server or a
 * backup on the same DATA_DIR is refused while the first runs.
 */

const kills = 3
const roundSeconds = Math.min(40, Math.max(6, Math.round(chaosSeconds / 2.5)))
const organizationCount = 8

let dataDir: string
let port: number
let server: ServerProcess
let webhookSecret: string

function boot() {
  server = spawnServerProcess({
    port,
    dataDir,
    entry: 'dist',
    extraEnv: {
      DEMO_ACCOUNTS: 'true',
      VAPI_MAX_RPS: '100',
      SANDBOX_MIN_DELAY_MS: '1000',
      SANDBOX_MAX_DELAY_MS: '4000',
      SANDBOX_FREE_NUMBER_LIMIT: '1000000',
    },
  })
  return server
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'dialtone-embedded-kill-'))
  port = await findFreePort()
  await buildCompiledServer()
  await boot().waitReady(120_000)
  // Sandbox mode on the embedded database generates the webhook secret into DATA_DIR, as for a new user.
  const secrets = JSON.parse(await readFile(path.join(dataDir, 'secrets.json'), 'utf8')) as { webhookSecret: string }
  webhookSecret = secrets.webhookSecret
})

afterAll(async () => {
  await server.kill('SIGKILL')
  await rm(dataDir, { recursive: true, force: true })
})

interface Purchase {
  id: string
  vapiPhoneNumberId: string
  owner: Owner
  areaCode: string
  activatedWith: string | null
}

interface SentWebhook {
  messageId: string
  body: string
  kind: 'activation' | 'redelivery' | 'not-ours'
  target: Purchase | null
  answer: Answer<{ outcome: string }>
}

const runBackupScript = (file: string) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/scripts/db-backup.ts', file], {
    cwd: serverPackageDir,
    env: { PATH: inheritedPath, DATA_DIR: dataDir },
  }).then(
    (done) => ({ code: 0, output: done.stdout + done.stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  )

test(`the embedded database SIGKILLed ${kills} times mid-write: every acknowledged write survives, none twice`, async () => {
  const baseUrl = `http://127.0.0.1:${port}`
  const owners: Owner[] = []
  for (let index = 0; index < organizationCount; index++) {
    owners.push(await signUpOwner(baseUrl, null, `Embedded ${index}`))
  }

  const purchases: Purchase[] = []
  const createAnswers: Answer[] = []
  const webhooks: SentWebhook[] = []
  const rounds: { killedAtMs: number; inFlightAtKill: number; restartMs: number }[] = []
  let activations = 0
  let inFlight = 0
  const counted = async <T>(request: () => Promise<T>) => {
    inFlight += 1
    try {
      return await request()
    } finally {
      inFlight -= 1
    }
  }

  for (let round = 0; round < kills; round++) {
    const startedAt = Date.now()
    let isStopped = false
    // The load runs until the kill; the round's length only places the kill.
    const deadline = () => (isStopped ? 0 : startedAt + roundSeconds * 1000 + 60_000)
    const creates = paced(3, 5, deadline, async () => {
      if (isStopped) return
      const owner = pick(owners)
      if (!owner) return
      const areaCode = Math.random() < 0.5 ? '534' : (pick(['415', '212', '305', '617']) ?? '415')
      const answer = await counted(() => createNumber(baseUrl, owner, areaCode, 20_000))
      createAnswers.push(answer)
      if (answer.status === 201) {
        purchases.push({
          id: answer.body.id,
          vapiPhoneNumberId: vapiIdOf(answer.body),
          owner,
          areaCode,
          activatedWith: null,
        })
      }
    })
    const signals = paced(4, 20, deadline, async () => {
      if (isStopped) return
      const waiting = purchases.filter((purchase) => purchase.areaCode === '534' && purchase.activatedWith === null)
      const target = pick(waiting) ?? null
      const roll = Math.random()
      let sent: Omit<SentWebhook, 'answer'> = {
        messageId: randomUUID(),
        body: statusUpdateBody({ id: randomUUID(), status: 'active', number: '+15550000000' }),
        kind: 'not-ours',
        target: null,
      }
      if (roll < 0.6 && target) {
        activations += 1
        target.activatedWith = `+1534${String(4_000_000 + activations).padStart(7, '0')}`
        sent = {
          messageId: randomUUID(),
          body: statusUpdateBody({ id: target.vapiPhoneNumberId, status: 'active', number: target.activatedWith }),
          kind: 'activation',
          target,
        }
      } else if (roll < 0.8) {
        const original = pick(webhooks.filter((webhook) => webhook.kind !== 'redelivery'))
        if (original) sent = { messageId: original.messageId, body: original.body, kind: 'redelivery', target: null }
      }
      const answer = await counted(() => postSignedWebhook(baseUrl, sent.body, sent.messageId, 10_000, webhookSecret))
      webhooks.push({ ...sent, answer })
    })

    // A random moment in the round's middle, once this round has purchases to lose (a loaded machine answers
    // creates slowly), at which a request is being answered (a write in flight).
    const purchasesBefore = purchases.length
    await sleep(roundSeconds * 1000 * (0.3 + 0.4 * Math.random()))
    const waitForPurchases = Date.now() + 30_000
    while (purchases.length - purchasesBefore < 3 && Date.now() < waitForPurchases) await sleep(50)
    const waitForWrite = Date.now() + 2_000
    while (inFlight === 0 && Date.now() < waitForWrite) await sleep(1)
    const inFlightAtKill = inFlight
    const exit = await server.kill('SIGKILL')
    expect(exit.signal).toBe('SIGKILL')
    const killedAtMs = Date.now() - startedAt
    isStopped = true
    await Promise.all([creates, signals])
    const restartedAt = Date.now()
    await boot().waitReady(120_000)
    rounds.push({ killedAtMs, inFlightAtKill, restartMs: Date.now() - restartedAt })
  }

  // The database serves after the last restart: it reads every acknowledged purchase and takes a new one.
  const listed = new Set<string>()
  for (const owner of owners) {
    const answer = await call<{ items: { id: string }[] }>(`${baseUrl}/api/phone-numbers?limit=200`, {
      cookie: owner.cookie,
    })
    expect(answer.status).toBe(200)
    for (const item of answer.body.items) listed.add(item.id)
  }
  const missingFromApi = purchases.filter((purchase) => !listed.has(purchase.id)).map((purchase) => purchase.id)
  const firstOwner = owners[0]
  if (!firstOwner) throw new Error('no owner')
  const afterwards = await createNumber(baseUrl, firstOwner, '415')
  expect(afterwards.status).toBe(201)

  // Vapi retries what got no answer; what was acknowledged, sent again, is recognised as already taken.
  const acknowledged = webhooks.filter((webhook) => webhook.answer.status === 200)
  const unanswered = webhooks.filter((webhook) => webhook.answer.status !== 200)
  const retried = new Map<string, number>()
  for (const webhook of unanswered) {
    const again = await postSignedWebhook(baseUrl, webhook.body, webhook.messageId, 15_000, webhookSecret)
    expect(again.status).toBe(200)
    tally(retried, `${webhook.kind} → ${again.body.outcome}`)
  }
  const resentOutcomes = new Map<string, number>()
  for (const webhook of acknowledged) {
    const again = await postSignedWebhook(baseUrl, webhook.body, webhook.messageId, 15_000, webhookSecret)
    tally(resentOutcomes, `${again.status} ${again.body.outcome}`)
  }

  // While it runs, nobody else may open DATA_DIR: a second `pnpm start` and a backup are refused, clearly.
  const second = spawnServerProcess({ port: await findFreePort(), dataDir, entry: 'dist' })
  const secondExit = await second.exited
  const backupWhileRunning = await runBackupScript(path.join(dataDir, 'while-running.tar.gz'))

  // A clean stop (SIGTERM) closes PGlite and releases the lock; then the directory is opened here and read.
  const stopped = await server.kill('SIGTERM')
  expect(existsSync(path.join(dataDir, lockFileName))).toBe(false)
  const database = await createDatabase({ kind: 'pglite', dataDir })
  try {
    const migrations = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db)
    const acknowledgedIds = purchases.map((purchase) => purchase.id)
    const rows = await database.db
      .selectFrom('phone_number')
      .select(['id', 'vapi_phone_number_id', 'status', 'number'])
      .execute()
    const rowById = new Map(rows.map((row) => [row.id, row]))
    const lostPurchases = acknowledgedIds.filter((id) => !rowById.has(id))
    const deliveryIds = [...new Set(acknowledged.map((webhook) => `id:${webhook.messageId}`))]
    const deliveries = await database.db
      .selectFrom('webhook_delivery')
      .select(['delivery_id', 'outcome'])
      .where('delivery_id', 'in', [...deliveryIds, 'none'])
      .execute()
    const deliveryById = new Map(deliveries.map((delivery) => [delivery.delivery_id, delivery]))
    const lostWebhooks = deliveryIds.filter((id) => !deliveryById.has(id))
    // The effect: an activation acknowledged as `transitioned` left its number live with the digits it carried.
    const lostEffects = acknowledged
      .filter((webhook) => webhook.kind === 'activation' && webhook.answer.body.outcome === 'transitioned')
      .filter((webhook) => {
        const row = webhook.target ? rowById.get(webhook.target.id) : undefined
        return row?.status !== 'active' || row.number !== webhook.target?.activatedWith
      })
      .map((webhook) => webhook.messageId)
    // The outcome stored is the one answered (a redelivery answers `duplicate` of a row stored once).
    const outcomeMismatches = acknowledged
      .filter((webhook) => webhook.kind !== 'redelivery' && webhook.answer.body.outcome !== 'duplicate')
      .filter((webhook) => deliveryById.get(`id:${webhook.messageId}`)?.outcome !== webhook.answer.body.outcome)
      .map((webhook) => webhook.messageId)
    const writtenTwice = await sql<{ id: string }>`
      select vapi_phone_number_id::text as id from phone_number group by vapi_phone_number_id having count(*) > 1
      union all
      select phone_number_id::text as id from phone_number_status_change where to_status = 'active'
        group by phone_number_id having count(*) > 1`.execute(database.db)
    const halfWritten = await halfWrittenRows(database.db)

    const createStatuses = new Map<string, number>()
    for (const answer of createAnswers) tally(createStatuses, String(answer.status || 'no answer'))
    const webhookStatuses = new Map<string, number>()
    for (const webhook of webhooks) tally(webhookStatuses, String(webhook.answer.status || 'no answer'))
    await writeSummary('embedded-kill', {
      roundSeconds,
      kills: rounds,
      createsTried: createAnswers.length,
      createAnswers: Object.fromEntries(createStatuses),
      webhooksSent: webhooks.length,
      webhookAnswers: Object.fromEntries(webhookStatuses),
      acknowledgedPurchases: purchases.length,
      acknowledgedWebhooks: acknowledged.length,
      acknowledgedActivations: acknowledged.filter((webhook) => webhook.answer.body.outcome === 'transitioned').length,
      unansweredRetried: Object.fromEntries(retried),
      acknowledgedResent: Object.fromEntries(resentOutcomes),
      lostPurchases: lostPurchases.length,
      lostWebhooks: lostWebhooks.length,
      lostEffects: lostEffects.length,
      writtenTwice: writtenTwice.rows.length,
      secondServer: { ...secondExit, said: second.output().trim().split('\n').slice(0, 2).join(' ') },
      backupWhileRunning: { code: backupWhileRunning.code, said: backupWhileRunning.output.trim().slice(0, 160) },
      stoppedWith: stopped,
    })

    expect(rounds.reduce((sum, round) => sum + round.inFlightAtKill, 0)).toBeGreaterThan(0)
    expect(purchases.length).toBeGreaterThan(0)
    expect(acknowledged.length).toBeGreaterThan(0)
    expect(missingFromApi).toEqual([])
    expect(lostPurchases).toEqual([])
    expect(lostWebhooks).toEqual([])
    expect(lostEffects).toEqual([])
    expect(outcomeMismatches).toEqual([])
    expect(writtenTwice.rows).toEqual([])
    expect(halfWritten).toEqual({
      versionWithoutHistory: [],
      deliveriesMidway: [],
      purchasedWithoutRow: [],
      liveWithoutNumber: [],
    })
    expect([...resentOutcomes.keys()]).toEqual(['200 duplicate'])
    expect(migrations.rows.map((row) => row.name)).toEqual(Object.keys(allMigrations))
    expect(secondExit.code).toBe(1)
    expect(second.output()).toMatch(/in use by another process \(pid \d+/)
    expect(backupWhileRunning.code).toBe(1)
    expect(backupWhileRunning.output).toMatch(/No backup taken\. The embedded database .* is in use/)
    expect(stopped).toEqual({ code: 0, signal: null })
  } finally {
    await database.close()
  }
})
