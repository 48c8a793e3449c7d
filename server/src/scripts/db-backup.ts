import path from 'node:path'
import { allMigrations } from '@dialtone/migrations/all-migrations'
import { DataDirInUseError } from '../db/data-dir-lock.ts'
import {
  BackupError,
  backupEmbeddedDatabase,
  defaultBackupName,
  describeSummary,
  postgresBackupAdvice,
} from '../db/embedded-backup.ts'
import { DamagedDataDirError } from '../db/open-embedded-database.ts'
import { EnvError, readProcessEnv } from '../env.ts'

// `pnpm db:backup [file]`: a copy of the embedded database in DATA_DIR, taken while no server has it open.
try {
  const env = readProcessEnv()
  if (env.DATABASE_URL) {
    console.error(postgresBackupAdvice)
    process.exit(1)
  }
  const startedIn = env.INIT_CWD ?? process.cwd()
  const given = process.argv[2]
  const file = path.resolve(startedIn, given ?? path.join('backups', defaultBackupName(new Date())))
  const result = await backupEmbeddedDatabase({ dataDir: env.DATA_DIR, file })
  const megabytes = (result.bytes / 1024 / 1024).toFixed(1)
  console.log(
    [
      `Backed up the embedded database in ${path.resolve(env.DATA_DIR)}`,
      `  to ${result.file} (${megabytes} MB)`,
      ...describeSummary(result.summary, Object.keys(allMigrations)).map((line) => `  ${line}`),
      `Restore it with: pnpm db:restore ${result.file}`,
      `Not in the backup: the secrets dialtone generated into ${path.resolve(env.DATA_DIR)} (secrets.json), which`,
      '  sessions and the secrets stored in the database depend on. Keep a copy of them apart from the backup.',
    ].join('\n'),
  )
} catch (error) {
  const isExplained =
    error instanceof EnvError ||
    error instanceof BackupError ||
    error instanceof DataDirInUseError ||
    error instanceof DamagedDataDirError
  console.error(isExplained ? `No backup taken. ${error.message}` : error)
  process.exit(1)
}
