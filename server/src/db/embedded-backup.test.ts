import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createDatabase, embeddedDatabaseDir } from './create-database.ts'
import { DataDirInUseError } from './data-dir-lock.ts'
import { BackupError, backupEmbeddedDatabase, restoreEmbeddedDatabase } from './embedded-backup.ts'
import { migrateToLatest } from './migrate.ts'

// Real PGlite directories on disk, real files: backup → write more → restore, and every way a restore must refuse.

let root: string
let dataDir: string
let backupFile: string
const slow = { timeout: 180_000 }

async function counterKeys(): Promise<string[]> {
  const database = await createDatabase({ kind: 'pglite', dataDir })
  try {
    const rows = await database.db.selectFrom('rate_limit_counter').select('key').orderBy('key').execute()
    return rows.map((row) => row.key)
  } finally {
    await database.close()
  }
}

async function addCounters(keys: string[]) {
  const database = await createDatabase({ kind: 'pglite', dataDir })
  try {
    await migrateToLatest(database.db)
    for (const key of keys) {
      await database.db
        .insertInto('rate_limit_counter')
        .values({ key, window_started_at: new Date(), window_ms: 60_000, count: 1 })
        .execute()
    }
  } finally {
    await database.close()
  }
}

/** What a refused restore must leave: the same rows, and no directory beside the database. */
async function expectUntouched(keys: string[]) {
  expect(await counterKeys()).toEqual(keys)
  expect((await readdir(dataDir)).filter((name) => name.startsWith('pglite'))).toEqual(['pglite'])
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dialtone-backup-'))
  dataDir = path.join(root, 'data')
  backupFile = path.join(root, 'backups', 'first.tar.gz')
  await addCounters(['a', 'b', 'c'])
}, 180_000)

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

test(
  'a backup, more writes, a restore: the database holds exactly the backup’s rows; the newer one is kept aside',
  slow,
  async () => {
    const backup = await backupEmbeddedDatabase({ dataDir, file: backupFile })
    expect(backup.bytes).toBeGreaterThan(100_000)
    expect(backup.summary.rowCounts.rate_limit_counter).toBe(3)
    expect(backup.summary.migrations.length).toBeGreaterThan(0)
    expect(existsSync(`${backupFile}.partial`)).toBe(false)

    await addCounters(['d', 'e'])
    expect(await counterKeys()).toEqual(['a', 'b', 'c', 'd', 'e'])

    const restored = await restoreEmbeddedDatabase({ dataDir, file: backupFile })
    expect(restored.summary).toEqual(backup.summary)
    expect(await counterKeys()).toEqual(['a', 'b', 'c'])
    // The database the restore replaced is renamed, not deleted, and still opens with its five rows.
    expect(restored.keptAside).not.toBeNull()
    const aside = await PGlite.create({ dataDir: restored.keptAside ?? '' })
    expect((await aside.query<{ n: number }>('select count(*)::int as n from rate_limit_counter')).rows[0]?.n).toBe(5)
    await aside.close()
    await rm(restored.keptAside ?? '', { recursive: true, force: true })
  },
)

test('a backup never overwrites a file, and needs a database to copy', slow, async () => {
  await expect(backupEmbeddedDatabase({ dataDir, file: backupFile })).rejects.toThrow(/already exists/)
  await expect(
    backupEmbeddedDatabase({ dataDir: path.join(root, 'nothing-here'), file: path.join(root, 'x.tar.gz') }),
  ).rejects.toThrow(/no embedded database/)
})

test('restoring a file that is not a dialtone backup fails clearly and changes nothing', slow, async () => {
  const garbage = path.join(root, 'garbage.tar.gz')
  await writeFile(garbage, Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(2_000, 7)]))
  await expect(restoreEmbeddedDatabase({ dataDir, file: garbage })).rejects.toThrow(/not a readable backup/)

  const text = path.join(root, 'notes.txt')
  await writeFile(text, 'not an archive at all\n'.repeat(100))
  await expect(restoreEmbeddedDatabase({ dataDir, file: text })).rejects.toThrow(/not a tar archive/)

  await expect(restoreEmbeddedDatabase({ dataDir, file: path.join(root, 'missing.tar.gz') })).rejects.toThrow(
    BackupError,
  )

  // A real Postgres directory, but not dialtone's: it opens, holds no migrations, and is refused.
  const stranger = await PGlite.create({ dataDir: path.join(root, 'stranger') })
  const strangerDump = path.join(root, 'stranger.tar.gz')
  await writeFile(strangerDump, Buffer.from(await (await stranger.dumpDataDir('gzip')).arrayBuffer()))
  await stranger.close()
  await expect(restoreEmbeddedDatabase({ dataDir, file: strangerDump })).rejects.toThrow(/not dialtone's/)

  await expectUntouched(['a', 'b', 'c'])
})

test(
  'while the database is open (a server holds DATA_DIR) backup and restore refuse, naming the holder',
  slow,
  async () => {
    const running = await createDatabase({ kind: 'pglite', dataDir })
    try {
      const file = path.join(root, 'while-running.tar.gz')
      await expect(backupEmbeddedDatabase({ dataDir, file })).rejects.toThrow(DataDirInUseError)
      await expect(backupEmbeddedDatabase({ dataDir, file })).rejects.toThrow(`pid ${process.pid}`)
      expect(existsSync(file)).toBe(false)
      await expect(restoreEmbeddedDatabase({ dataDir, file: backupFile })).rejects.toThrow(DataDirInUseError)
    } finally {
      await running.close()
    }
    await expectUntouched(['a', 'b', 'c'])
    expect(existsSync(embeddedDatabaseDir(dataDir))).toBe(true)
  },
)
