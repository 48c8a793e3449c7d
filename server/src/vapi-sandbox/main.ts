import { randomBytes } from 'node:crypto'
import { readProcessEnv } from '../env.ts'
import { createLogger } from '../lib/logger.ts'
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
})

console.log(`Vapi sandbox listening on ${sandbox.url}`)
console.log(
  `  numbers arrive after ${env.SANDBOX_MIN_DELAY_MS}–${env.SANDBOX_MAX_DELAY_MS} ms; any Bearer key works except "invalid"`,
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
