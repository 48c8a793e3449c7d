import { resolveConfig } from '../config.ts'
import { createCredentialBox } from '../credentials/credential-box.ts'
import { rotateCredentials } from '../credentials/rotate-credentials.ts'
import { createDatabase } from '../db/create-database.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { EnvError, readProcessEnv } from '../env.ts'

// `pnpm credentials:rotate`: re-seal every stored secret under CREDENTIALS_KEY. The old key opens what it sealed:
// CREDENTIALS_KEY_PREVIOUS, or (embedded database) the key generated into DATA_DIR, or AUTH_SECRET.
try {
  const env = readProcessEnv()
  const config = await resolveConfig(env)
  if (config.credentialsKeySource !== 'environment') {
    console.error(
      'Set CREDENTIALS_KEY to the new key (at least 32 characters, e.g. openssl rand -hex 32), and CREDENTIALS_KEY_PREVIOUS to the old one if it was set, then run this again.',
    )
    process.exit(2)
  }
  const database = await createDatabase(
    env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir: env.DATA_DIR },
  )
  await migrateToLatest(database.db)
  const report = await rotateCredentials(database.db, createCredentialBox(config.credentialKeys))
  await database.close()
  const line = (what: string, counts: typeof report.connections) =>
    `${what}: ${counts.resealed} re-sealed, ${counts.current} already under the new key, ${counts.unreadable} unreadable`
  console.log(`Credentials key ${report.keyId}`)
  console.log(line('Provider connections', report.connections))
  console.log(line('Webhook signing secrets', report.webhookSecrets))
  console.log(line('Call-event credentials and remembered routing', report.callEventSecrets))
  if (report.connections.unreadable + report.webhookSecrets.unreadable + report.callEventSecrets.unreadable > 0) {
    console.error(
      'Some secrets could not be opened: set CREDENTIALS_KEY_PREVIOUS to the key that sealed them and run again.',
    )
    process.exit(1)
  }
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error)
  process.exit(1)
}
