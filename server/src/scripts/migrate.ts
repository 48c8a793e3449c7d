import path from 'node:path'
import { createDatabase } from '../db/create-database.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { EnvError, readProcessEnv } from '../env.ts'

// `pnpm db:migrate`: apply every pending migration to DATABASE_URL, or to the embedded database in DATA_DIR.
try {
  const env = readProcessEnv()
  const database = await createDatabase(
    env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir: env.DATA_DIR },
  )
  const applied = await migrateToLatest(database.db)
  await database.close()
  const target = env.DATABASE_URL ? 'Postgres' : `The embedded database in ${path.resolve(env.DATA_DIR)}`
  console.log(applied.length > 0 ? `Applied to ${target}:\n  ${applied.join('\n  ')}` : `${target} is up to date.`)
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error)
  process.exit(1)
}
