import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { z } from 'zod'
import { phoneNumberSchema } from '@dialtone/shared/phone-number'
import { createPhoneNumberThrough, findFreePort, signUpThrough } from '../../test/support/cluster-client.ts'
import { startDialtone, type DialtoneServer } from '../compose-server.ts'
import { resolveConfig } from '../config.ts'
import { parseEnv } from '../env.ts'
import { sandboxStateSchema } from './sandbox-state-file.ts'

// `pnpm start` on the embedded database, restarted while a number is pending: the in-process sandbox keeps its
// state in DATA_DIR, so the number turns live after the restart (its webhook is sent then) instead of being taken
// for one deleted at Vapi, and a live number can still be checked and released after another restart.

let dataDir: string
let port: number
let running: DialtoneServer | null = null

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'dialtone-sandbox-restart-'))
  port = await findFreePort()
})
afterAll(async () => {
  await running?.stop()
  await rm(dataDir, { recursive: true, force: true })
})

/** What main.ts does for `pnpm start` with no DATABASE_URL and no VAPI_API_KEY, on a fixed port like 3000. */
async function startLikePnpmStart() {
  const config = await resolveConfig(
    parseEnv({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'silent',
      DEMO_ACCOUNTS: 'false',
      DATA_DIR: dataDir,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SANDBOX_MIN_DELAY_MS: '6000',
      SANDBOX_MAX_DELAY_MS: '6000',
    }),
  )
  running = await startDialtone(config, { clusterAdapter: false, webDistDir: null })
  const { url, sandbox } = running
  if (!url || !sandbox) throw new Error('expected the web role with the in-process sandbox')
  return { url, sandbox }
}

async function stopServer() {
  await running?.stop()
  running = null
}

async function getNumber(url: string, cookie: string, id: string) {
  const response = await fetch(`${url}/api/phone-numbers/${id}`, { headers: { cookie } })
  expect(response.status).toBe(200)
  return phoneNumberSchema.parse(await response.json())
}

test('numbers pending across a restart of the embedded server turn live; live ones stay known', async () => {
  const first = await startLikePnpmStart()
  const { cookie } = await signUpThrough(first.url, 'Restarter')
  const pending = await createPhoneNumberThrough(first.url, cookie, { areaCode: '415', name: 'Across a restart' })
  expect(pending.status).toBe('pending')
  await stopServer()
  expect(await readdir(dataDir)).toContain('vapi-sandbox.json')
  // Still waiting for its number when the process went away (otherwise this would test nothing).
  const saved = sandboxStateSchema.parse(JSON.parse(await readFile(path.join(dataDir, 'vapi-sandbox.json'), 'utf8')))
  expect(saved.numbers.find((held) => held.phoneNumber.id === pending.vapiPhoneNumberId)).toMatchObject({
    phoneNumber: { status: 'activating' },
    settlement: { outcome: 'assign' },
  })

  const second = await startLikePnpmStart()
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
  const webhooks = z
    .array(z.looseObject({ phoneNumberId: z.string(), outcome: z.string(), httpStatus: z.number().nullable() }))
    .parse(await (await fetch(`${second.sandbox.url}/_sandbox/webhooks`)).json())
  expect(webhooks.filter((webhook) => webhook.phoneNumberId === live.vapiPhoneNumberId)).toEqual([
    expect.objectContaining({ outcome: 'delivered', httpStatus: 200 }),
  ])
  await stopServer()

  const third = await startLikePnpmStart()
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
}, 240_000)
