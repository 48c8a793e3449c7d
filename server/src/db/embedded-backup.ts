import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { Kysely } from 'kysely'
import { createDatabase, embeddedDatabaseDir } from './create-database.ts'
import { summarizeDatabase, type DatabaseSummary } from './database-summary-repository.ts'
import { lockDataDir } from './data-dir-lock.ts'
import { inspectPgliteDir, openPglite } from './open-embedded-database.ts'
import { PGliteDialect } from './pglite-dialect.ts'

// `pnpm db:backup` and `pnpm db:restore` for the embedded database. Both hold DATA_DIR's lock, so neither runs while
// a server has the database open: a backup is a copy of a database nobody is writing, a restore never swaps a
// directory from under a running server. The backup is PGlite's own dump of its directory (a gzipped tar).

/** A backup or restore that cannot be done; the message says why and what was left as it was. */
export class BackupError extends Error {
  override name = 'BackupError'
}

/** `dialtone-backup-2026-12-01T14-05-09Z.tar.gz`: sorts by time, safe in every file system. */
export function defaultBackupName(now: Date): string {
  return `dialtone-backup-${now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-')}.tar.gz`
}

export interface BackupResult {
  file: string
  bytes: number
  summary: DatabaseSummary
}

export async function backupEmbeddedDatabase(options: { dataDir: string; file: string }): Promise<BackupResult> {
  const pgliteDir = embeddedDatabaseDir(options.dataDir)
  if ((await inspectPgliteDir(pgliteDir)) === 'new') {
    throw new BackupError(`There is no embedded database in ${pgliteDir} to back up.`)
  }
  if (existsSync(options.file)) throw new BackupError(`${options.file} already exists; give another file name.`)
  // Takes the lock: refused with DataDirInUseError while a server (or anything else) has the database open.
  const database = await createDatabase({ kind: 'pglite', dataDir: options.dataDir })
  try {
    const pglite = database.pglite
    if (!pglite) throw new Error('expected the embedded database')
    // Everything in the data files, so the copy needs no WAL replay when it is opened.
    await pglite.query('checkpoint')
    const summary = await summarizeDatabase(database.db)
    const dump = await pglite.dumpDataDir('gzip')
    const bytes = Buffer.from(await dump.arrayBuffer())
    await mkdir(path.dirname(options.file), { recursive: true })
    // Written beside and renamed: a backup cut short never looks like a whole one.
    const partial = `${options.file}.partial`
    await writeFile(partial, bytes, { mode: 0o600 })
    await rename(partial, options.file)
    return { file: options.file, bytes: (await stat(options.file)).size, summary }
  } finally {
    await database.close()
  }
}

/** The names of a tar archive's entries, or null when the bytes are not one (a header's checksum is wrong). */
function tarEntryNames(tar: Uint8Array): string[] | null {
  const names: string[] = []
  const text = (from: number, to: number) =>
    Buffer.from(tar.subarray(from, to)).toString('latin1').replace(/\0.*$/s, '')
  let offset = 0
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512)
    if (header.every((byte) => byte === 0)) break
    let sum = 0
    for (let index = 0; index < 512; index++) sum += index >= 148 && index < 156 ? 32 : (header[index] ?? 0)
    if (Number.parseInt(text(offset + 148, offset + 156).trim(), 8) !== sum) return null
    const prefix = text(offset + 257, offset + 262) === 'ustar' ? text(offset + 345, offset + 500) : ''
    const name = text(offset, offset + 100)
    names.push(prefix ? `${prefix}/${name}` : name)
    const size = Number.parseInt(text(offset + 124, offset + 136).trim() || '0', 8)
    offset += 512 + Math.ceil(size / 512) * 512
  }
  return names.length > 0 ? names : null
}

/** The backup's tar, after checking it is one and holds a Postgres data directory; nothing is touched yet. */
function readBackupArchive(bytes: Uint8Array, file: string): Uint8Array {
  let tar: Uint8Array = bytes
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      tar = gunzipSync(bytes)
    } catch (error) {
      throw new BackupError(`${file} is not a readable backup: its gzip data is damaged (${String(error)}).`)
    }
  }
  const names = tarEntryNames(tar)
  if (!names) throw new BackupError(`${file} is not a dialtone backup: it is not a tar archive.`)
  const has = (marker: string) => names.some((name) => name === marker || name.endsWith(`/${marker}`))
  if (!has('PG_VERSION') || !has('global/pg_control')) {
    throw new BackupError(`${file} is not a dialtone backup: the archive holds no Postgres data directory.`)
  }
  return tar
}

async function summarizeDirectory(pgliteDir: string, loadDataDir?: Blob): Promise<DatabaseSummary> {
  const client = await openPglite(pgliteDir, loadDataDir ? { loadDataDir } : {})
  const db = new Kysely<unknown>({ dialect: new PGliteDialect(client) })
  try {
    return await summarizeDatabase(db)
  } finally {
    await db.destroy()
  }
}

export interface RestoreResult {
  /** Where the database that was there before now is (renamed, never deleted); null when there was none. */
  keptAside: string | null
  summary: DatabaseSummary
}

/**
 * Loads the backup into a directory of its own and opens it; only when that works is the current directory
 * renamed aside and the restored one put in its place, then opened again where a server will find it. A file
 * that is not a dialtone backup fails before anything in DATA_DIR changes.
 */
export async function restoreEmbeddedDatabase(options: {
  dataDir: string
  file: string
  now?: Date
}): Promise<RestoreResult> {
  let bytes: Buffer
  try {
    bytes = await readFile(options.file)
  } catch (error) {
    throw new BackupError(`Cannot read ${options.file}: ${error instanceof Error ? error.message : String(error)}`)
  }
  const tar = readBackupArchive(bytes, options.file)
  const lock = await lockDataDir(options.dataDir)
  try {
    const pgliteDir = embeddedDatabaseDir(options.dataDir)
    const stamp = (options.now ?? new Date())
      .toISOString()
      .replace(/\.\d+Z$/, 'Z')
      .replaceAll(':', '-')
    const staging = `${pgliteDir}.restoring-${stamp}`
    await rm(staging, { recursive: true, force: true })
    let loaded: DatabaseSummary
    try {
      loaded = await summarizeDirectory(staging, new Blob([Buffer.from(tar)]))
    } catch (error) {
      await rm(staging, { recursive: true, force: true })
      const reason = error instanceof Error ? error.message : String(error)
      throw new BackupError(`${options.file} could not be opened as a database (${reason}). Nothing was changed.`)
    }
    if (loaded.migrations.length === 0) {
      await rm(staging, { recursive: true, force: true })
      throw new BackupError(
        `${options.file} holds a Postgres database but not dialtone's (no migrations recorded). Nothing was changed.`,
      )
    }
    let keptAside: string | null = null
    if (existsSync(pgliteDir)) {
      keptAside = `${pgliteDir}.before-restore-${stamp}`
      await rename(pgliteDir, keptAside)
    }
    await rename(staging, pgliteDir)
    return { keptAside, summary: await summarizeDirectory(pgliteDir) }
  } finally {
    await lock.release()
  }
}

/** Lines for a person: the migration level against what this version knows, and the rows in each table. */
export function describeSummary(summary: DatabaseSummary, knownMigrations: readonly string[]): string[] {
  const unknown = summary.migrations.filter((name) => !knownMigrations.includes(name))
  const pending = knownMigrations.filter((name) => !summary.migrations.includes(name))
  const level =
    `migrations: ${summary.migrations.length} applied (latest ${summary.migrations.at(-1) ?? 'none'})` +
    (pending.length > 0 ? `; ${pending.length} newer will be applied at the next start` : '; up to date') +
    (unknown.length > 0 ? `; ${unknown.length} unknown to this version of dialtone: ${unknown.join(', ')}` : '')
  const tables = Object.entries(summary.rowCounts)
  const counts = tables.filter(([, rows]) => rows > 0).map(([table, rows]) => `${table} ${rows}`)
  const empty = tables.length - counts.length
  return [level, `rows: ${counts.join(', ') || 'none'}${empty > 0 ? ` (${empty} tables empty)` : ''}`]
}

/** On a Postgres DATABASE_URL these commands do nothing and say what to use instead. */
export const postgresBackupAdvice = [
  'DATABASE_URL points at a Postgres server: db:backup and db:restore handle only the embedded database.',
  "Use Postgres's own tools (the URL stays in your environment, never on the screen):",
  '  back up:  pg_dump --format=custom --file=dialtone.dump "$DATABASE_URL"',
  '  restore:  pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" dialtone.dump',
].join('\n')
