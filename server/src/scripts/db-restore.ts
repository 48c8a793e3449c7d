import path from 'node:path'
import { allMigrations } from '@dialtone/migrations/all-migrations'
import { DataDirInUseError } from '../db/data-dir-lock.ts'
import { BackupError, describeSummary, postgresBackupAdvice, restoreEmbeddedDatabase } from '../db/embedded-backup.ts'
import { DamagedDataDirError } from '../db/open-embedded-database.ts'
import { EnvError, readProcessEnv } from '../env.ts'

// `pnpm db:restore <file>`: puts a backup in place of the embedded database in DATA_DIR (the current one is kept
// aside), while no server has it open.
try {
  const env = readProcessEnv()
  if (env.DATABASE_URL) {
    console.error(postgresBackupAdvice)
    process.exit(1)
  }
  const given = process.argv[2]
  if (!given) {
    console.error('Usage: pnpm db:restore <backup file>   (made by pnpm db:backup)')
    process.exit(1)
  }
  const file = path.resolve(env.INIT_CWD ?? process.cwd(), given)
  const result = await restoreEmbeddedDatabase({ dataDir: env.DATA_DIR, file })
  console.log(
    [
      `Restored ${file}`,
      `  into ${path.resolve(env.DATA_DIR, 'pglite')}; it opens and holds:`,
      ...describeSummary(result.summary, Object.keys(allMigrations)).map((line) => `  ${line}`),
      result.keptAside
        ? `The database that was there is kept (not deleted) in ${result.keptAside}`
        : 'There was no database before.',
    ].join('\n'),
  )
} catch (error) {
  const isExplained =
    error instanceof EnvError ||
    error instanceof BackupError ||
    error instanceof DataDirInUseError ||
    error instanceof DamagedDataDirError
  console.error(isExplained ? `Nothing restored. ${error.message}` : error)
  process.exit(1)
}
