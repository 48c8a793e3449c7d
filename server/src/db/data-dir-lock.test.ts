import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { DataDirInUseError, findDataDirHolder, lockDataDir, lockFileName } from './data-dir-lock.ts'

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

test('a server restarted while the one before is still stopping waits for it, within its limit', async () => {
  const dataDir = path.join(root, 'restart')
  const stopping = await lockDataDir(dataDir)
  setTimeout(() => void stopping.release(), 300)
  const next = await lockDataDir(dataDir, { waitMs: 10_000 })
  expect(await findDataDirHolder(dataDir)).toMatchObject({ pid: process.pid })
  const startedAt = Date.now()
  await expect(lockDataDir(dataDir, { waitMs: 400 })).rejects.toThrow(DataDirInUseError)
  expect(Date.now() - startedAt).toBeGreaterThanOrEqual(400)
  await next.release()
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
