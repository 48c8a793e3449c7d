import { unlinkSync } from 'node:fs'
import { mkdir, open, readFile, unlink } from 'node:fs/promises'
import path from 'node:path'

// PGlite takes no lock on its directory: two processes opening the same one both succeed, both write, and
// acknowledged writes of one are lost (measured: 1 610 commits acknowledged by two processes, 799 found after).
// Every opener of the embedded database (the server, db:migrate, db:backup, db:restore, admin:grant) holds this lock.

export const lockFileName = 'dialtone.lock'

interface LockHolder {
  pid: number
  startedAt: string
  command: string
}

/** Another live process holds DATA_DIR: nobody else may open its database. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError'
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another process (pid ${holder.pid}, ${holder.command}, ` +
        `since ${holder.startedAt}). Only one process may open it: stop that one first (Ctrl+C or kill ${holder.pid}). ` +
        `If no such process is running, delete ${path.join(dataDir, lockFileName)}.`,
    )
  }
}

export interface DataDirLock {
  dataDir: string
  release(): Promise<void>
}

/** Directories this process holds; a second open in the same process is refused like one from another process. */
const heldHere = new Set<string>()

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM'
  }
}

async function readHolder(file: string): Promise<LockHolder | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'))
    if (typeof parsed === 'object' && parsed !== null && 'pid' in parsed && typeof parsed.pid === 'number') {
      const record = parsed as Partial<LockHolder>
      return { pid: parsed.pid, startedAt: String(record.startedAt ?? '?'), command: String(record.command ?? '?') }
    }
    return null
  } catch {
    return null
  }
}

/** The live process holding DATA_DIR, or null when it is free (no lock file, or one left by a dead process). */
export async function findDataDirHolder(dataDir: string): Promise<LockHolder | null> {
  const resolved = path.resolve(dataDir)
  const holder = await readHolder(path.join(resolved, lockFileName))
  if (heldHere.has(resolved)) return holder ?? { pid: process.pid, startedAt: '?', command: 'this process' }
  // A pid of our own that we do not hold is a dead process's (a container restarts with the same pid).
  if (!holder || holder.pid === process.pid || !isAlive(holder.pid)) return null
  return holder
}

/**
 * Takes DATA_DIR for this process: a lock file with our pid, created exclusively. A file left by a process that
 * died (SIGKILL, power cut) is taken over; one of a live process that does not end within waitMs is refused
 * with DataDirInUseError.
 */
export async function lockDataDir(
  dataDir: string,
  options: { waitMs?: number; command?: string } = {},
): Promise<DataDirLock> {
  const resolved = path.resolve(dataDir)
  const file = path.join(resolved, lockFileName)
  await mkdir(resolved, { recursive: true })
  const command = options.command ?? process.argv.slice(1).join(' ')
  const record: LockHolder = { pid: process.pid, startedAt: new Date().toISOString(), command }
  // A server restarted by a supervisor may start while the one before is still shutting down: it waits its turn.
  const waitUntil = Date.now() + (options.waitMs ?? 0)
  for (let attempt = 0; attempt < 3; attempt++) {
    let holder = await findDataDirHolder(resolved)
    while (holder && Date.now() < waitUntil) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      holder = await findDataDirHolder(resolved)
    }
    if (holder) throw new DataDirInUseError(resolved, holder)
    try {
      const handle = await open(file, 'wx', 0o600)
      await handle.writeFile(`${JSON.stringify(record)}\n`)
      await handle.sync()
      await handle.close()
      heldHere.add(resolved)
      // A process that ends without closing (an uncaught error, process.exit) leaves no lock behind.
      const releaseOnExit = () => removeLockFile(file)
      process.once('exit', releaseOnExit)
      return {
        dataDir: resolved,
        release: async () => {
          process.off('exit', releaseOnExit)
          if (!heldHere.delete(resolved)) return
          const current = await readHolder(file)
          if (current?.pid === process.pid) await unlink(file).catch(() => {})
        },
      }
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error
      // The file is there and its process is gone: remove it and try again (another starter may win the race).
      if (!(await findDataDirHolder(resolved))) await unlink(file).catch(() => {})
    }
  }
  const holder = await readHolder(file)
  throw new DataDirInUseError(resolved, holder ?? { pid: -1, startedAt: '?', command: 'unknown' })
}

function removeLockFile(file: string) {
  try {
    unlinkSync(file)
  } catch {
    // already gone
  }
}
