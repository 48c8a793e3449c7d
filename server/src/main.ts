import path from 'node:path'
import { demoAccounts } from './auth/ensure-demo-accounts.ts'
import { startDialtone, version } from './compose-server.ts'
import { resolveConfig } from './config.ts'
import { DataDirInUseError } from './db/data-dir-lock.ts'
import { DamagedDataDirError } from './db/open-embedded-database.ts'
import { EnvError, readProcessEnv, type Env } from './env.ts'

function readEnvOrExit(): Env {
  try {
    return readProcessEnv()
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`dialtone cannot start.\n${error.message}\nSee the Configuration table in README.md.`)
      process.exit(1)
    }
    throw error
  }
}

/** env → startDialtone (compose-server.ts wires everything) → banner → graceful shutdown on SIGTERM/SIGINT. */
async function main() {
  const env = readEnvOrExit()
  const config = await resolveConfig(env)
  const server = await startDialtone(config)

  const lines = [
    `dialtone ${version} (${env.ROLE}) on ${config.isEmbeddedDatabase ? `embedded PGlite in ${path.resolve(env.DATA_DIR)}` : 'Postgres'}`,
    server.runsWeb ? `  open ${server.publicUrl}` : '  worker only: no HTTP server',
    config.isSandbox
      ? `  SANDBOX MODE: no VAPI_API_KEY, so numbers come from the built-in Vapi sandbox at ${server.vapiBaseUrl} (nothing real is bought)`
      : `  Vapi: ${server.vapiBaseUrl}`,
  ]
  if (server.carrierSandboxes) {
    lines.push(
      `  carrier sandboxes: Twilio at ${server.twilioBaseUrl}, Telnyx at ${server.telnyxBaseUrl} (docs/carrier-sandboxes.md)`,
    )
  }
  if (server.createsDemoAccounts) {
    lines.push(
      `  demo owner: ${demoAccounts.owner.email} / ${demoAccounts.owner.password}`,
      `  demo admin: ${demoAccounts.admin.email} / ${demoAccounts.admin.password}`,
    )
  }
  console.log(lines.join('\n'))

  let isShuttingDown = false
  const shutdown = async (signal: string) => {
    if (isShuttingDown) return
    isShuttingDown = true
    server.logger.info({ signal }, 'shutting down')
    const force = setTimeout(() => process.exit(1), 15_000)
    force.unref()
    await server.stop()
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

main().catch((error: unknown) => {
  // The embedded database in use by another process, or damaged: the message says what to do; no stack needed.
  if (error instanceof DataDirInUseError || error instanceof DamagedDataDirError) {
    console.error(`dialtone cannot start.\n${error.message}`)
    process.exit(1)
  }
  console.error('dialtone failed to start:', error)
  process.exit(1)
})
