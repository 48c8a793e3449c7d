import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createDatabase, embeddedDatabaseDir } from './create-database.ts'
import { findDataDirHolder } from './data-dir-lock.ts'
import { DamagedDataDirError } from './open-embedded-database.ts'

// A damaged embedded database is refused with a message naming db:restore, never initialised over or started empty.

let root: string

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dialtone-damaged-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

test('a database directory with files but no Postgres markers is refused, naming db:restore, and left as it was', async () => {
  const dataDir = path.join(root, 'damaged')
  const pgliteDir = embeddedDatabaseDir(dataDir)
  await mkdir(path.join(pgliteDir, 'base'), { recursive: true })
  await writeFile(path.join(pgliteDir, 'base', 'leftover'), 'half of an initdb')
  const opening = createDatabase({ kind: 'pglite', dataDir })
  await expect(opening).rejects.toThrow(DamagedDataDirError)
  await expect(createDatabase({ kind: 'pglite', dataDir })).rejects.toThrow(/pnpm db:restore/)
  expect(await readFile(path.join(pgliteDir, 'base', 'leftover'), 'utf8')).toBe('half of an initdb')
  // The refusal released the lock: nothing is left holding DATA_DIR.
  expect(await findDataDirHolder(dataDir)).toBeNull()
})

test(
  'a database whose control file is overwritten is refused, and the refusal releases DATA_DIR',
  { timeout: 120_000 },
  async () => {
    const dataDir = path.join(root, 'overwritten')
    const first = await createDatabase({ kind: 'pglite', dataDir })
    await first.close()
    const control = await open(path.join(embeddedDatabaseDir(dataDir), 'global', 'pg_control'), 'r+')
    await control.write(Buffer.alloc(512, 0xab), 0, 512, 0)
    await control.close()
    await expect(createDatabase({ kind: 'pglite', dataDir })).rejects.toThrow(
      /cannot be opened: PGlite failed to start/,
    )
    expect(await findDataDirHolder(dataDir)).toBeNull()
  },
)
