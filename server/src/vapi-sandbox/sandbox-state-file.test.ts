import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest'
import { z } from 'zod'
import { startWebhookReceiver } from '../../test/support/start-webhook-receiver.ts'
import { createVapiSandbox } from './create-vapi-sandbox.ts'
import { SandboxStateFileError, sandboxStateSchema } from './sandbox-state-file.ts'
import { startVapiSandbox, type RunningVapiSandbox } from './start-vapi-sandbox.ts'
import {
  buySandboxNumber,
  createSandboxAccount,
  sandboxCall,
  sandboxPhoneNumberShape,
} from './test-support/sandbox-client.ts'

const webhookSecret = 'sandbox-state-secret'
let directory: string
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
const running: RunningVapiSandbox[] = []

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'dialtone-sandbox-state-'))
  receiver = await startWebhookReceiver()
})
afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.close()))
})
afterAll(async () => {
  await receiver.close()
  await rm(directory, { recursive: true, force: true })
})

let fileNumber = 0
const freshStateFile = () => path.join(directory, `state-${++fileNumber}`, 'vapi-sandbox.json')

async function start(stateFile: string, delayMs: number) {
  const sandbox = await startVapiSandbox({
    port: 0,
    minDelayMs: delayMs,
    maxDelayMs: delayMs,
    webhookSecret,
    stateFile,
  })
  running.push(sandbox)
  return sandbox
}

/** Closes it the way a dying process does: timers gone, nothing more written, the port dropped. */
async function crash(sandbox: RunningVapiSandbox) {
  running.splice(running.indexOf(sandbox), 1)
  await sandbox.close()
}

async function readState(stateFile: string) {
  return sandboxStateSchema.parse(JSON.parse(await readFile(stateFile, 'utf8')))
}

const deliveredFor = (phoneNumberId: string) =>
  receiver.received
    .map((delivery) =>
      z.object({ message: z.object({ phoneNumber: sandboxPhoneNumberShape }) }).parse(JSON.parse(delivery.rawBody)),
    )
    .filter((body) => body.message.phoneNumber.id === phoneNumberId)

test('a number pending when the sandbox died is assigned after the restart, and its webhook is sent then', async () => {
  const stateFile = freshStateFile()
  const first = await start(stateFile, 400)
  const account = await createSandboxAccount(first.url, 'Survivor')
  const pending = await buySandboxNumber(first.url, account.apiKey, {
    assistantId: account.assistants[0]?.id,
    server: { url: receiver.url },
  })
  const kept = await buySandboxNumber(first.url, account.apiKey, { numberDesiredAreaCode: '212' })
  await crash(first)

  const saved = await readState(stateFile)
  const savedPending = saved.numbers.find((held) => held.phoneNumber.id === pending.id)
  expect(savedPending?.phoneNumber.status).toBe('activating')
  expect(savedPending?.settlement?.outcome).toBe('assign')
  const dueAt = Date.parse(savedPending?.settlement?.dueAt ?? '')
  // Its due time passes while nothing runs: the next start must assign it at once, not wait another delay.
  await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(dueAt), { timeout: 5_000, interval: 50 })
  expect(deliveredFor(pending.id)).toEqual([])

  const second = await start(stateFile, 600_000)
  const live = await vi.waitFor(
    async () => {
      const got = sandboxPhoneNumberShape.parse(
        (await sandboxCall(second.url, 'GET', `/phone-number/${pending.id}`, { key: account.apiKey })).json,
      )
      expect(got.number).toMatch(/^\+1415\d{7}$/)
      return got
    },
    { timeout: 5_000, interval: 50 },
  )
  expect(live).toMatchObject({ status: 'active', assistantId: account.assistants[0]?.id, orgId: account.orgId })
  const webhook = await vi.waitFor(
    () => {
      const [delivery] = deliveredFor(pending.id)
      expect(delivery).toBeDefined()
      return delivery
    },
    { timeout: 5_000, interval: 50 },
  )
  expect(webhook?.message.phoneNumber).toMatchObject({ status: 'active', number: live.number })

  // The account, its assistants and its other number came back too.
  const assistants = (await sandboxCall(second.url, 'GET', '/assistant', { key: account.apiKey })).json
  expect(assistants).toHaveLength(3)
  const listed = (await sandboxCall(second.url, 'GET', '/phone-number', { key: account.apiKey })).json
  expect(
    z
      .array(sandboxPhoneNumberShape)
      .parse(listed)
      .map((phoneNumber) => phoneNumber.id)
      .sort(),
  ).toEqual([pending.id, kept.id].sort())
})

test('a live number stays known after a restart: GET and DELETE work, and a released one stays released', async () => {
  const stateFile = freshStateFile()
  const first = await start(stateFile, 0)
  const key = `implicit-${Math.random().toString(36).slice(2)}`
  const bought = await buySandboxNumber(first.url, key)
  const gone = await buySandboxNumber(first.url, key)
  const live = await vi.waitFor(
    async () => {
      const got = sandboxPhoneNumberShape.parse(
        (await sandboxCall(first.url, 'GET', `/phone-number/${bought.id}`, { key })).json,
      )
      expect(got.number).toBeDefined()
      return got
    },
    { timeout: 5_000, interval: 25 },
  )
  expect((await sandboxCall(first.url, 'DELETE', `/phone-number/${gone.id}`, { key })).status).toBe(200)
  await crash(first)

  const second = await start(stateFile, 0)
  expect((await sandboxCall(second.url, 'GET', `/phone-number/${bought.id}`, { key })).json).toEqual(live)
  expect((await sandboxCall(second.url, 'GET', `/phone-number/${gone.id}`, { key })).status).toBe(404)
  // The implicit account kept its org, so a new number lands in the same organisation.
  expect((await buySandboxNumber(second.url, key)).orgId).toBe(live.orgId)
  expect((await sandboxCall(second.url, 'DELETE', `/phone-number/${bought.id}`, { key })).status).toBe(200)
  await crash(second)

  const third = await start(stateFile, 0)
  expect((await sandboxCall(third.url, 'GET', `/phone-number/${bought.id}`, { key })).status).toBe(404)
  // A released number's digits are never handed out again.
  const held = z
    .array(sandboxPhoneNumberShape.extend({ releasedAt: z.string().nullable() }))
    .parse(await (await fetch(`${third.url}/_sandbox/phone-numbers`)).json())
  const released = held.find((phoneNumber) => phoneNumber.id === bought.id)
  expect(released?.number).toBe(live.number)
  expect(released?.releasedAt).toEqual(expect.any(String))
})

test('a number not yet due keeps its due time across a restart (no early assignment)', async () => {
  const stateFile = freshStateFile()
  const first = await start(stateFile, 600_000)
  const key = `implicit-${Math.random().toString(36).slice(2)}`
  const pending = await buySandboxNumber(first.url, key)
  const dueBefore = (await readState(stateFile)).numbers[0]?.settlement?.dueAt
  await crash(first)
  const second = await start(stateFile, 0)
  const got = sandboxPhoneNumberShape.parse(
    (await sandboxCall(second.url, 'GET', `/phone-number/${pending.id}`, { key })).json,
  )
  expect(got.status).toBe('activating')
  expect(got).not.toHaveProperty('number')
  expect((await readState(stateFile)).numbers[0]?.settlement?.dueAt).toBe(dueBefore)
})

test('every change is written whole through a temporary file renamed over the state; no temporary file stays', async () => {
  const stateFile = freshStateFile()
  const sandbox = await start(stateFile, 0)
  const account = await createSandboxAccount(sandbox.url)
  expect((await readState(stateFile)).accounts.map((each) => each.id)).toContain(account.accountId)
  const bought = await buySandboxNumber(sandbox.url, account.apiKey)
  await sandboxCall(sandbox.url, 'PATCH', `/phone-number/${bought.id}`, {
    key: account.apiKey,
    body: { name: 'Renamed' },
  })
  expect((await readState(stateFile)).numbers[0]?.phoneNumber.name).toBe('Renamed')
  await sandboxCall(sandbox.url, 'POST', '/assistant', { key: account.apiKey, body: { name: 'Added' } })
  const state = await readState(stateFile)
  expect(state.accounts.find((each) => each.id === account.accountId)?.assistants.map((each) => each.name)).toContain(
    'Added',
  )
  expect(await readdir(path.dirname(stateFile))).toEqual(['vapi-sandbox.json'])

  // A temporary file half-written by a process that died mid-write is never read: the state file stays whole.
  await writeFile(`${stateFile}.99999.tmp`, '{"version":1,"accounts":[{"id":')
  const after = await start(stateFile, 0)
  expect((await sandboxCall(after.url, 'GET', `/phone-number/${bought.id}`, { key: account.apiKey })).status).toBe(200)
})

test('a state file that is not a sandbox state stops the start with a clear error, and is left as it was', async () => {
  const stateFile = freshStateFile()
  const sourceFile = freshStateFile()
  const sandbox = await start(sourceFile, 60_000)
  await buySandboxNumber(sandbox.url, (await createSandboxAccount(sandbox.url)).apiKey)
  await crash(sandbox)

  const truncated = (await readFile(sourceFile, 'utf8')).slice(0, 40)
  await mkdir(path.dirname(stateFile), { recursive: true })
  await writeFile(stateFile, truncated)
  const options = { minDelayMs: 0, maxDelayMs: 0, webhookSecret, stateFile }
  expect(() => createVapiSandbox(options)).toThrow(SandboxStateFileError)
  expect(() => createVapiSandbox(options)).toThrow(
    new RegExp(`state file ${stateFile.replaceAll('.', '\\.')} cannot be read .*move it away to start empty`),
  )
  await writeFile(stateFile, JSON.stringify({ version: 1, accounts: 'none', numbers: [] }))
  expect(() => createVapiSandbox(options)).toThrow(/accounts/)
  expect(await readFile(stateFile, 'utf8')).toBe(JSON.stringify({ version: 1, accounts: 'none', numbers: [] }))

  // Whole, well-formed, but a number points at an account the file does not have.
  const orphaned = await readState(sourceFile)
  orphaned.accounts = []
  await writeFile(stateFile, JSON.stringify(orphaned))
  expect(() => createVapiSandbox(options)).toThrow(/belongs to no account in the file/)
})
