import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { z } from 'zod'
import { readProcessEnv } from '../env.ts'
import { createLogger } from '../lib/logger.ts'
import { SandboxStateFileError } from './sandbox-state-file.ts'
import { startVapiSandbox } from './start-vapi-sandbox.ts'
import { CarrierSandboxStateFileError } from '../carrier-sandbox/carrier-sandbox-state-file.ts'
import { startTelnyxSandbox, startTwilioSandbox } from '../carrier-sandbox/start-carrier-sandboxes.ts'

// `pnpm sandbox`: the Vapi stand-in on its own, for developing against or for pointing a second dialtone at.

const env = readProcessEnv()
const logger = createLogger(env.LOG_LEVEL)
const webhookSecret = env.VAPI_WEBHOOK_SECRET ?? randomBytes(32).toString('hex')

// The carrier sandboxes beside it: Twilio on SANDBOX_PORT + 1, Telnyx on SANDBOX_PORT + 2 (docs/carrier-sandboxes.md).
const carrierStateFile = (carrier: string) =>
  env.SANDBOX_STATE_FILE === undefined
    ? {}
    : { stateFile: path.join(path.dirname(path.resolve(env.SANDBOX_STATE_FILE)), `${carrier}-sandbox.json`) }
const refuseUnreadableState = (error: unknown): never => {
  if (!(error instanceof CarrierSandboxStateFileError)) throw error
  console.error(error.message)
  process.exit(1)
}
const twilio = await startTwilioSandbox({
  port: env.SANDBOX_PORT + 1,
  host: env.HOST,
  logger,
  ...carrierStateFile('twilio'),
}).catch(refuseUnreadableState)
const telnyx = await startTelnyxSandbox({
  port: env.SANDBOX_PORT + 2,
  host: env.HOST,
  logger,
  ...(env.PUBLIC_URL === undefined ? {} : { webhookUrl: `${env.PUBLIC_URL.replace(/\/$/, '')}/webhooks/telnyx` }),
  ...carrierStateFile('telnyx'),
}).catch(refuseUnreadableState)

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
  carriers: { twilioBaseUrl: twilio.baseUrl, telnyxBaseUrl: telnyx.baseUrl },
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

console.log(`Twilio sandbox listening on ${twilio.url} (TWILIO_BASE_URL=${twilio.baseUrl})`)
console.log(
  `  an account (Account SID, auth token, API key and secret): curl -X POST ${twilio.url}/_sandbox/accounts ` +
    `-H 'content-type: application/json' -d '{"name":"Acme"}'`,
)
console.log('  magic numbers: +15005550006 buys, +15005550000 is unavailable (21422), +15005550001 is invalid (21421)')
console.log(`Telnyx sandbox listening on ${telnyx.url} (TELNYX_BASE_URL=${telnyx.baseUrl})`)
console.log(`  webhooks are signed with TELNYX_PUBLIC_KEY=${telnyx.publicKey}`)
console.log(
  `  an account (API key): curl -X POST ${telnyx.url}/_sandbox/accounts -H 'content-type: application/json' ` +
    `-d '{"name":"Acme","webhookUrl":"http://localhost:3000/webhooks/telnyx"}'`,
)
console.log(`  what each holds: ${twilio.url}/_sandbox/numbers and ${telnyx.url}/_sandbox/numbers`)

let isStopping = false
async function stop(signal: string) {
  if (isStopping) return
  isStopping = true
  console.log(`${signal}: stopping the Vapi sandbox`)
  await sandbox.close()
  await twilio.close()
  await telnyx.close()
  process.exit(0)
}
process.once('SIGINT', () => void stop('SIGINT'))
process.once('SIGTERM', () => void stop('SIGTERM'))
