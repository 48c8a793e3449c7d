import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import {
  fetchOpenApiDocument,
  generateClientTypes,
  generatedTypesPath,
} from '../../examples/buy-a-number/generate-client-types.ts'
import { testDatabaseKinds } from '../support/test-databases.ts'
import { startSecurityHarness, type SecurityHarness } from '../security/security-harness.ts'

const kind = testDatabaseKinds.at(-1) ?? 'pglite'
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const programPath = path.join(serverDir, 'examples/buy-a-number/buy-a-number.ts')
const run = promisify(execFile)

describe(`the example program written from /api/openapi.json, on ${kind}`, () => {
  let harness: SecurityHarness

  beforeAll(async () => {
    // The sandbox assigns numbers within a second and tells the server by webhook, as Vapi does.
    harness = await startSecurityHarness(kind, { sandboxDelayMs: { min: 200, max: 800 } })
  })
  afterAll(async () => {
    await harness.close()
  })

  test('its committed client types are exactly what the served document generates', async () => {
    const served = await generateClientTypes(await fetchOpenApiDocument(harness.baseUrl))
    const committed = await readFile(generatedTypesPath, 'utf8')
    // On a difference: pnpm --filter @dialtone/server generate:example-client <url of a running server>
    expect(committed).toBe(served)
  })

  test('buys a number in the sandbox with an API key and waits until it is live', async () => {
    const owner = await harness.signUp('Programmer')
    const created = await harness.request('/api/api-keys', {
      method: 'POST',
      cookie: owner.cookie,
      json: { name: 'buy-a-number example', scopes: ['numbers:read', 'numbers:write'] },
    })
    const { key } = z.object({ key: z.string() }).parse(await created.json())

    const { stdout } = await run(process.execPath, ['--import', 'tsx', programPath, '415'], {
      cwd: serverDir,
      env: { DIALTONE_URL: harness.baseUrl, DIALTONE_API_KEY: key, POLL_EVERY_MS: '200' },
      timeout: 120_000,
    })
    expect(stdout).toMatch(/requested: [0-9a-f-]{36} is pending/)
    const live = /live: (\+1415\d{7})/.exec(stdout)
    expect(live, stdout).not.toBeNull()

    const row = await harness.db
      .selectFrom('phone_number')
      .select(['status', 'number'])
      .where('organization_id', '=', owner.organizationId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'active', number: live?.[1] })
  })
})
