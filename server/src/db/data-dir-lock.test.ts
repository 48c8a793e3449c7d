import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createDatabase, embeddedDatabaseDir } from './create-database.ts'
import { DataDirInUseError, findDataDirHolder, lockDataDir, lockFileName } from './data-dir-lock.ts'
import { DamagedDataDirError } from './open-embedded-database.ts'

let root: string

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dialtone-lock-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

/** A pid that was alive a moment ago and is not any more: a process that ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((resolve) => child.once('exit', resolve))
  if (child.pid === undefined) throw new Error('no pid')
  return child.pid
}

test('a second opener of the same DATA_DIR is refused until the first closes', async () => {
  const dataDir = path.join(root, 'twice')
  const first = await lockDataDir(dataDir)
  await expect(lockDataDir(dataDir)).rejects.toThrow(DataDirInUseError)
  await expect(lockDataDir(dataDir)).rejects.toThrow(/in use by another process \(pid \d+/)
  expect(await findDataDirHolder(dataDir)).toMatchObject({ pid: process.pid })
  await first.release()
  expect(existsSync(path.join(dataDir, lockFileName))).toBe(false)
  const again = await lockDataDir(dataDir)
  await again.release()
})

test('a lock left by a process that died (SIGKILL) is taken over', async () => {
  const dataDir = path.join(root, 'stale')
  await mkdir(dataDir, { recursive: true })
  const pid = await deadPid()
  await writeFile(path.join(dataDir, lockFileName), JSON.stringify({ pid, startedAt: 'earlier', command: 'dead' }))
  expect(await findDataDirHolder(dataDir)).toBeNull()
  const lock = await lockDataDir(dataDir)
  expect(JSON.parse(await readFile(path.join(dataDir, lockFileName), 'utf8'))).toMatchObject({ pid: process.pid })
  await lock.release()
})

test('a lock held by another live process is respected', async () => {
  const dataDir = path.join(root, 'other-process')
  await mkdir(dataDir, { recursive: true })
  // The parent of this test process: alive for as long as the test runs, and not us.
  await writeFile(
    path.join(dataDir, lockFileName),
    JSON.stringify({ pid: process.ppid, startedAt: 'now', command: 'dialtone' }),
  )
  await expect(lockDataDir(dataDir)).rejects.toThrow(`pid ${process.ppid}`)
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
