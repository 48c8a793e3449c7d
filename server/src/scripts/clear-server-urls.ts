import { resolveConfig } from '../config.ts'
import { createVapiAccounts } from '../connections/vapi-accounts.ts'
import { createCredentialBox, fingerprintSecret } from '../credentials/credential-box.ts'
import { createDatabase } from '../db/create-database.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { EnvError, readProcessEnv } from '../env.ts'
import { createLogger } from '../lib/logger.ts'
import { clearDialtoneServerUrls } from '../provisioning/clear-dialtone-server-urls.ts'
import { createVapiClient } from '../vapi/vapi-client.ts'
import { createVapiRateLimiter } from '../vapi/vapi-rate-limiter.ts'
import { createPostgresVapiPauseStore } from '../vapi/vapi-pause-repository.ts'

// `pnpm vapi:clear-server-urls [--apply] [--webhook-url <url>]`: clears the server.url dialtone set on numbers it
// bought before decision 0010 (only where it is dialtone's webhook), each with the account that bought it.
// A dry run by default: it prints what it would change.
const argv = process.argv.slice(2)
const apply = argv.includes('--apply')
const webhookUrlFlag = argv.indexOf('--webhook-url')
try {
  const env = readProcessEnv()
  const config = await resolveConfig(env)
  if (config.isSandbox) {
    console.error(
      'Sandbox mode (no VAPI_API_KEY): the sandbox needs server.url for its status webhooks; nothing to clear.',
    )
    process.exit(2)
  }
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '')
  const webhookUrl = webhookUrlFlag >= 0 ? (argv[webhookUrlFlag + 1] ?? '') : `${publicUrl}/webhooks/vapi`
  const database = await createDatabase(
    env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir: env.DATA_DIR },
  )
  await migrateToLatest(database.db)
  const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL)
  const limiter = createVapiRateLimiter({ ratePerSecond: env.VAPI_MAX_RPS })
  const sharedPauses = createPostgresVapiPauseStore(database.db)
  const makeClient = (apiKey: string, accountKey: string) =>
    createVapiClient({ baseUrl: config.vapiBaseUrl ?? '', apiKey, accountKey, limiter, sharedPauses, logger })
  const vapi = makeClient(config.vapiApiKey, fingerprintSecret(config.vapiApiKey))
  const vapiAccounts = createVapiAccounts({
    db: database.db,
    box: createCredentialBox(config.credentialKeys),
    policy: env.VAPI_ACCOUNT_POLICY,
    isSandbox: false,
    platformClient: vapi,
    sandboxUrl: null,
    makeClient,
    logger,
  })
  const changes = await clearDialtoneServerUrls({ db: database.db, vapi, vapiAccounts, webhookUrl, logger }, { apply })
  await database.close()
  for (const change of changes) {
    const what = change.number ?? change.vapiPhoneNumberId
    console.log(
      `${change.action.padEnd(11)} ${what} (organisation ${change.organizationId}) server.url=${change.serverUrl ?? '-'}${change.detail ? `: ${change.detail}` : ''}`,
    )
  }
  const count = (action: string) => changes.filter((change) => change.action === action).length
  console.log(
    apply
      ? `${count('cleared')} cleared, ${count('kept')} left as they were, ${count('error')} failed (of ${changes.length}).`
      : `Dry run: ${count('would-clear')} would be cleared, ${count('kept')} left as they were, ${count('error')} could not be read (of ${changes.length}). Run with --apply to change them.`,
  )
  if (count('error') > 0) process.exit(1)
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error)
  process.exit(1)
}
