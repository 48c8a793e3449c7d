import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { z } from 'zod'
import { phoneNumberSchema } from '@dialtone/shared/phone-number'
import { createPhoneNumberThrough, findFreePort, signUpThrough } from '../../test/support/cluster-client.ts'
import { spawnServerProcess, type ServerProcess } from '../../test/support/server-process.ts'
import { sandboxStateSchema } from './sandbox-state-file.ts'

// `pnpm start` on the embedded database (no DATABASE_URL, no VAPI_API_KEY), killed with SIGKILL while a number is
// pending: the in-process sandbox keeps its state in DATA_DIR, so after the restart the number turns live (its
// webhook is sent then) instead of being taken for one deleted at Vapi; after another SIGKILL, a live number can
// still be checked and released.

const secrets = { authSecret: 'restart-test-auth-secret-0123456789abcdef', webhookSecret: 'restart-test-webhook' }
let dataDir: string
let port: number
let running: ServerProcess | null = null

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'dialtone-sandbox-restart-'))
  port = await findFreePort()
})
afterAll(async () => {
  await running?.kill('SIGKILL')
  await rm(dataDir, { recursive: true, force: true })
})

/** The same port and DATA_DIR every time, as `pnpm start` on a developer's machine. */
async function startServer() {
  running = spawnServerProcess({
    port,
    databaseUrl: null,
    vapiBaseUrl: null,
    ...secrets,
    extraEnv: { DATA_DIR: dataDir, SANDBOX_MIN_DELAY_MS: '8000', SANDBOX_MAX_DELAY_MS: '8000' },
  })
  await running.waitReady(120_000)
  const sandboxUrl = /built-in Vapi sandbox at (http:\/\/\S+)/.exec(running.output())?.[1]
  if (!sandboxUrl) throw new Error(`the server did not say where its sandbox is:\n${running.output()}`)
  return { url: running.url, sandboxUrl }
}

async function killServer() {
  const exit = await running?.kill('SIGKILL')
  expect(exit?.signal).toBe('SIGKILL')
  running = null
}

async function getNumber(url: string, cookie: string, id: string) {
  const response = await fetch(`${url}/api/phone-numbers/${id}`, { headers: { cookie } })
  expect(response.status).toBe(200)
  return phoneNumberSchema.parse(await response.json())
}

test('SIGKILL while a number is pending: after the restart it turns live; a live one is checked and released', async () => {
  const first = await startServer()
  const { cookie } = await signUpThrough(first.url, 'Restarter')
  const pending = await createPhoneNumberThrough(first.url, cookie, { areaCode: '415', name: 'Across a restart' })
  expect(pending.status).toBe('pending')
  await killServer()

  // Still waiting for its number when the process died (otherwise this would test nothing).
  expect(await readdir(dataDir)).toContain('vapi-sandbox.json')
  const saved = sandboxStateSchema.parse(JSON.parse(await readFile(path.join(dataDir, 'vapi-sandbox.json'), 'utf8')))
  expect(saved.numbers.find((held) => held.phoneNumber.id === pending.vapiPhoneNumberId)).toMatchObject({
    phoneNumber: { status: 'activating' },
    settlement: { outcome: 'assign' },
  })

  const second = await startServer()
  const live = await vi.waitFor(
    async () => {
      const got = await getNumber(second.url, cookie, pending.id)
      expect(got.status).not.toBe('failed')
      expect(got.status).toBe('active')
      return got
    },
    { timeout: 60_000, interval: 250 },
  )
  expect(live.number).toMatch(/^\+1415\d{7}$/)
  expect(live.failureReason).toBeNull()
  // The sandbox sent its webhook after the restart, and this server took it.
  const webhookLog = z.array(
    z.looseObject({ phoneNumberId: z.string(), outcome: z.string(), httpStatus: z.number().nullable() }),
  )
  await vi.waitFor(
    async () => {
      const webhooks = webhookLog.parse(await (await fetch(`${second.sandboxUrl}/_sandbox/webhooks`)).json())
      expect(webhooks.filter((webhook) => webhook.phoneNumberId === live.vapiPhoneNumberId)).toEqual([
        expect.objectContaining({ outcome: 'delivered', httpStatus: 200 }),
      ])
    },
    { timeout: 30_000, interval: 250 },
  )
  await killServer()

  const third = await startServer()
  const checked = await fetch(`${third.url}/api/phone-numbers/${pending.id}/refresh`, {
    method: 'POST',
    headers: { cookie, origin: third.url },
  })
  expect(checked.status).toBe(200)
  expect(phoneNumberSchema.parse(await checked.json())).toMatchObject({ status: 'active', number: live.number })
  const released = await fetch(`${third.url}/api/phone-numbers/${pending.id}`, {
    method: 'DELETE',
    headers: { cookie, origin: third.url },
  })
  expect(released.status).toBe(200)
  expect(phoneNumberSchema.parse(await released.json()).status).toBe('released')
}, 480_000)
