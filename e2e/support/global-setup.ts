import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { artifactsDir, repoRoot, webDistIndex } from './paths.ts'
import { baseUrlVariable } from './base-url.ts'
import { createDataDir, findFreePort, startApp } from './processes.ts'

/**
 * Starts dialtone as a user does (`pnpm --filter @dialtone/server start` serving the built web app, sandbox
 * mode, embedded database in a fresh directory) once for the whole run. Tests that must restart a server
 * start their own.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(webDistIndex)) {
    // `pnpm test:e2e` builds first; running `playwright test` directly still works.
    execFileSync('pnpm', ['--filter', '@dialtone/web', 'build'], { cwd: repoRoot, stdio: 'inherit' })
  }
  await mkdir(artifactsDir, { recursive: true })
  const dataDir = await createDataDir()
  // Outbound webhooks go to receivers the tests start on loopback, which a deployment refuses by default.
  const app = await startApp({ port: await findFreePort(), dataDir, env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } })
  // Workers start after this and inherit the variable.
  process.env[baseUrlVariable] = app.url
  return async () => {
    await app.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}
