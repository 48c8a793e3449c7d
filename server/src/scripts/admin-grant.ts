import { grantPlatformAdmin } from '../auth/organization-repository.ts'
import { createDatabase } from '../db/create-database.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { EnvError, readProcessEnv } from '../env.ts'

// `pnpm admin:grant <email>`: make an existing user a platform admin (they see every organisation's statistics).
const email = process.argv.slice(2).find((argument) => !argument.startsWith('-'))
if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) {
  console.error('Usage: pnpm admin:grant <email>')
  process.exit(2)
}
try {
  const env = readProcessEnv()
  const database = await createDatabase(
    env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir: env.DATA_DIR },
  )
  await migrateToLatest(database.db)
  const isGranted = await grantPlatformAdmin(database.db, email)
  await database.close()
  if (!isGranted) {
    console.error(`No user with the email ${email}. They must sign up first.`)
    process.exit(1)
  }
  console.log(`${email} is now a platform admin. They see /admin on their next page load.`)
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error)
  process.exit(1)
}
