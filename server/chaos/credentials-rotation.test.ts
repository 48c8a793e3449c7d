import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startVapiSandbox, type RunningVapiSandbox } from '../src/vapi-sandbox/start-vapi-sandbox.ts'
import { findFreePort } from '../test/support/cluster-client.ts'
import { serverPackageDir } from '../test/support/server-process.ts'
import { startWebhookReceiver } from '../test/support/start-webhook-receiver.ts'
import { inheritedPath } from '../test/support/test-env.ts'
import { call, createNumber, signUpOwner, type Owner } from './support/chaos-client.ts'
import { eventually } from './support/data-checks.ts'
import { sleep } from './support/pacing.ts'
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.ts'
import { chaosAuthSecret, chaosWebhookSecret, startServer, type ChaosServer } from './support/server-process.ts'
import { writeSummary } from './support/summary.ts'
import { chaosSeconds } from './support/test-env.ts'

/**
 * CREDENTIALS_KEY changed under traffic, the way docs/security.md says to change it: servers restarted one by one
 * with the new key and the old one as CREDENTIALS_KEY_PREVIOUS, `pnpm credentials:rotate` run while they serve,
 * then servers restarted with the new key alone. Throughout, an organisation buys numbers with its own Vapi key (the
 * server opens the sealed key for every call) and receives signed outbound webhooks (the server opens the sealed
 * signing secret for every delivery). Nothing may fail, every delivery must verify with the secret the owner was
 * given, every number must be bought in the owner's own Vapi account, and no plaintext secret may be in the database.
 */

const oldKey = `old-credentials-key-${randomUUID()}`
const newKey = `new-credentials-key-${randomUUID()}`
const orgVapiKey = randomUUID()
const phaseMs = Math.max(5_000, (chaosSeconds * 1000) / 6)

let database: ScratchDatabase
let sandbox: RunningVapiSandbox
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
const servers: ChaosServer[] = []

async function startWith(keys: { CREDENTIALS_KEY: string; CREDENTIALS_KEY_PREVIOUS?: string }) {
  const server = startServer({
    port: await findFreePort(),
    databaseUrl: database.url,
    vapiBaseUrl: sandbox.url,
    env: { VAPI_MAX_RPS: '100', WEBHOOK_ALLOW_PRIVATE_URLS: 'true', ...keys },
  })
  servers.push(server)
  await server.waitReady()
  return server
}

/** `pnpm credentials:rotate` as an operator runs it: its own process, the two keys in its environment. */
function rotate(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/scripts/rotate-credentials.ts'], {
      cwd: serverPackageDir,
      env: {
        PATH: inheritedPath,
        DATABASE_URL: database.url,
        AUTH_SECRET: chaosAuthSecret,
        VAPI_WEBHOOK_SECRET: chaosWebhookSecret,
        CREDENTIALS_KEY: newKey,
        CREDENTIALS_KEY_PREVIOUS: oldKey,
      },
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.on('exit', (code) => resolve({ code, output }))
  })
}

beforeAll(async () => {
  database = await createScratchDatabase()
  sandbox = await startVapiSandbox({
    port: 0,
    minDelayMs: 200,
    maxDelayMs: 800,
    freeNumberLimit: 1_000_000,
    webhookSecret: chaosWebhookSecret,
    accounts: [{ apiKey: orgVapiKey, name: 'Rotating Dental' }],
  })
  receiver = await startWebhookReceiver()
})
afterAll(async () => {
  for (const server of servers) await server.kill('SIGKILL')
  await receiver.close()
  await sandbox.close()
  await database.close()
})

test('the credentials key changes under traffic: nothing fails, every secret still opens, none is stored in the clear', async () => {
  let current = await startWith({ CREDENTIALS_KEY: oldKey })
  const owner: Owner = await signUpOwner(current.url, database.db, 'Rotating Owner')
  const connected = await call(`${current.url}/api/connections/vapi`, {
    method: 'PUT',
    cookie: owner.cookie,
    headers: { origin: current.url },
    json: { apiKey: orgVapiKey },
  })
  expect(connected.status, JSON.stringify(connected.body)).toBe(200)
  const endpoint = await call<{ secret: string }>(`${current.url}/api/webhook-endpoints`, {
    method: 'POST',
    cookie: owner.cookie,
    headers: { origin: current.url },
    json: { url: `${new URL(receiver.url).origin}/receiver/rotation`, events: ['phone-number.live'] },
  })
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201)
  const signingSecret = endpoint.body.secret

  // Traffic against whichever server is current: an assistants read every 150 ms and a purchase every 2.1 s (under
  // the organisation's 30 a minute), both opening the sealed Vapi key; each number turning live sends a signed
  // webhook, which opens the sealed signing secret.
  const failures: string[] = []
  const bought: string[] = []
  let running = true
  const reads = (async () => {
    while (running) {
      const answer = await call(`${current.url}/api/assistants`, { cookie: owner.cookie })
      if (answer.status !== 200) failures.push(`assistants ${answer.status} ${JSON.stringify(answer.body)}`)
      await sleep(150)
    }
  })()
  const purchases = (async () => {
    while (running) {
      const answer = await createNumber(current.url, owner, '415')
      if (answer.status === 201) bought.push(answer.body.id)
      else failures.push(`purchase ${answer.status} ${JSON.stringify(answer.body)}`)
      await sleep(2_100)
    }
  })()
  const switchTo = async (next: ChaosServer) => {
    const previous = current
    current = next
    await sleep(300) // requests already sent to the previous server finish there
    await previous.kill('SIGTERM')
  }

  await sleep(phaseMs)
  // 1. Servers restarted one by one with the new key, the old one still opening what it sealed.
  await switchTo(await startWith({ CREDENTIALS_KEY: newKey, CREDENTIALS_KEY_PREVIOUS: oldKey }))
  await sleep(phaseMs)
  // 2. Every stored secret re-sealed under the new key while the server serves.
  const rotation = await rotate()
  expect(rotation.code, rotation.output).toBe(0)
  expect(rotation.output).toMatch(/Provider connections: 1 re-sealed/)
  expect(rotation.output).toMatch(/Webhook signing secrets: 1 re-sealed/)
  await sleep(phaseMs)
  // 3. The old key dropped.
  await switchTo(await startWith({ CREDENTIALS_KEY: newKey }))
  await sleep(phaseMs)
  running = false
  await Promise.all([reads, purchases])

  expect(failures).toEqual([])
  expect(bought.length).toBeGreaterThanOrEqual(5)

  // Every number went live in the owner's own Vapi account, so every call was made with the key the owner gave.
  await eventually(
    async () => {
      const live = await database.db
        .selectFrom('phone_number')
        .select((eb) => eb.fn.countAll<number>().as('live'))
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow()
      return Number(live.live)
    },
    (live) => live === bought.length,
    { timeoutMs: 60_000 },
  )
  const accounts = (await (await fetch(`${sandbox.url}/_sandbox/accounts`)).json()) as {
    accountId: string
    name: string
  }[]
  const ownAccount = accounts.find((each) => each.name === 'Rotating Dental')
  const held = (await (await fetch(`${sandbox.url}/_sandbox/phone-numbers`)).json()) as { accountId: string }[]
  expect(held.length).toBe(bought.length)
  expect(held.filter((number) => number.accountId !== ownAccount?.accountId)).toEqual([])

  // Every number's live webhook arrived and verifies with the secret the owner was given when the endpoint was made.
  await eventually(
    () => Promise.resolve(receiver.received.length),
    (received) => received >= bought.length,
    { timeoutMs: 60_000 },
  )
  const verifier = new Webhook(signingSecret)
  const unverified = receiver.received.filter((delivery) => {
    try {
      verifier.verify(delivery.rawBody, {
        'webhook-id': String(delivery.headers['webhook-id']),
        'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
        'webhook-signature': String(delivery.headers['webhook-signature']),
      })
      return false
    } catch {
      return true
    }
  })
  expect(unverified).toEqual([])

  // Nothing stored in the clear, and every sealed value is under the new key now.
  const everything = await sql<{ text: string }>`
    select coalesce(string_agg(t::text, '|'), '') as text from provider_connection t
    union all select coalesce(string_agg(t::text, '|'), '') from webhook_endpoint t`.execute(database.db)
  const stored = everything.rows.map((row) => row.text).join('\n')
  expect(stored).not.toContain(orgVapiKey)
  expect(stored).not.toContain(signingSecret.replace(/^whsec_/, ''))
  const second = await rotate()
  expect(second.output).toMatch(/Provider connections: 0 re-sealed, 1 already under the new key, 0 unreadable/)

  await writeSummary('credentials-rotation', {
    phaseMs,
    purchases: bought.length,
    deliveriesVerified: receiver.received.length,
    failures: failures.length,
  })
})
