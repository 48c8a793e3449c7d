import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { z } from 'zod'
import { readProcessEnv } from '../env.ts'
import { createLogger } from '../lib/logger.ts'
import { SandboxStateFileError } from './sandbox-state-file.ts'
import { startVapiSandbox } from './start-vapi-sandbox.ts'

// `pnpm sandbox`: the Vapi stand-in on its own, for developing against or for pointing a second dialtone at.

const env = readProcessEnv()
const logger = createLogger(env.LOG_LEVEL)
const webhookSecret = env.VAPI_WEBHOOK_SECRET ?? randomBytes(32).toString('hex')

const sandbox = await startVapiSandbox({
  port: env.SANDBOX_PORT,
  host: env.HOST,
  minDelayMs: env.SANDBOX_MIN_DELAY_MS,
  maxDelayMs: env.SANDBOX_MAX_DELAY_MS,
  freeNumberLimit: env.SANDBOX_FREE_NUMBER_LIMIT,
  webhookSecret,
  webhookAuth: env.VAPI_WEBHOOK_AUTH,
  logger,
  ...(env.SANDBOX_STATE_FILE === undefined ? {} : { stateFile: path.resolve(env.SANDBOX_STATE_FILE) }),
}).catch((error: unknown) => {
  // A state file it cannot read is the owner's to fix; say so plainly rather than with a stack trace.
  if (!(error instanceof SandboxStateFileError)) throw error
  console.error(error.message)
  process.exit(1)
})

const accounts = z
  .array(z.object({ name: z.string(), keyHint: z.string(), numbers: z.number(), assistants: z.number() }))
  .parse(await (await fetch(`${sandbox.url}/_sandbox/accounts`)).json())

console.log(`Vapi sandbox listening on ${sandbox.url}`)
console.log(
  `  numbers arrive after ${env.SANDBOX_MIN_DELAY_MS}–${env.SANDBOX_MAX_DELAY_MS} ms; ` +
    `${env.SANDBOX_FREE_NUMBER_LIMIT} free numbers per account (SANDBOX_FREE_NUMBER_LIMIT)`,
)
console.log('  keys: any Bearer key works except "invalid"; a key not seen before becomes an account of its own')
console.log(
  `  a new account with its own key and three assistants: curl -X POST ${sandbox.url}/_sandbox/accounts ` +
    `-H 'content-type: application/json' -d '{"name":"Acme"}'`,
)
for (const account of accounts) {
  console.log(
    `  account "${account.name}": key …${account.keyHint}, ${account.numbers} numbers, ${account.assistants} assistants`,
  )
}
console.log(`  list accounts (key hints only): ${sandbox.url}/_sandbox/accounts`)
console.log(
  env.SANDBOX_STATE_FILE === undefined
    ? '  state is kept in memory only (set SANDBOX_STATE_FILE to keep accounts and numbers across restarts)'
    : `  state is kept in ${path.resolve(env.SANDBOX_STATE_FILE)}`,
)
console.log(`  webhooks are signed with ${env.VAPI_WEBHOOK_AUTH}`)
if (env.VAPI_WEBHOOK_SECRET === undefined) {
  console.log(`  VAPI_WEBHOOK_SECRET was not set; generated one for this run: ${webhookSecret}`)
}

let isStopping = false
async function stop(signal: string) {
  if (isStopping) return
  isStopping = true
  console.log(`${signal}: stopping the Vapi sandbox`)
  await sandbox.close()
  process.exit(0)
}
process.once('SIGINT', () => void stop('SIGINT'))
process.once('SIGTERM', () => void stop('SIGTERM'))
