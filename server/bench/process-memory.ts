import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFile, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { findFreePort } from '../test/support/cluster-client.ts'
import { serverPackageDir } from '../test/support/server-process.ts'
import { inheritedPath } from '../test/support/test-env.ts'
import { round } from './latency-stats.ts'

export interface ProcessMemoryResult {
  /** What ran: the compiled server as `pnpm start` runs it (node dist/main.js). */
  command: string
  database: 'postgres' | 'embedded PGlite'
  /** Resident set size after /readyz answered and the process sat idle for settleMs. */
  idleRssMb: number
  /** The kernel's high-water mark of the resident set (VmHWM) from spawn to idle: the peak while starting. */
  peakRssMb: number
  readyMs: number
  settleMs: number
}

async function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
  return round(kb / 1024, 1)
}

/**
 * The compiled server's memory as `pnpm start` runs it (`node --enable-source-maps dist/main.js`; build it first,
 * `node build/build.js`), on Postgres (databaseUrl given) or as the embedded default (no DATABASE_URL: PGlite in a
 * fresh DATA_DIR and the Vapi sandbox in the same process). Idle = RSS once ready and quiet; peak = VmHWM.
 */
export async function benchProcessMemory(input: {
  databaseUrl?: string
  settleMs?: number
}): Promise<ProcessMemoryResult> {
  const settleMs = input.settleMs ?? 5_000
  const port = await findFreePort()
  const url = `http://127.0.0.1:${port}`
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dialtone-memory-'))
  const env: Record<string, string> = {
    PATH: inheritedPath,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    DEMO_ACCOUNTS: 'false',
    ...(input.databaseUrl ? { DATABASE_URL: input.databaseUrl, AUTH_SECRET: randomBytes(32).toString('hex') } : {}),
  }
  const args = ['--enable-source-maps', 'dist/main.js']
  const started = performance.now()
  const child = spawn(process.execPath, args, { cwd: serverPackageDir, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let printed = ''
  const keep = (chunk: Buffer) => (printed = (printed + chunk.toString('utf8')).slice(-10_000))
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let exited = false
  child.once('exit', () => (exited = true))
  try {
    const pid = child.pid
    if (pid === undefined) throw new Error('could not spawn the server')
    let readyMs: number | null = null
    while (performance.now() - started < 120_000 && readyMs === null) {
      if (exited) throw new Error(`the server exited before it was ready:\n${printed}`)
      try {
        const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) })
        await response.arrayBuffer()
        if (response.status === 200) readyMs = performance.now() - started
      } catch {
        // not listening yet
      }
      if (readyMs === null) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    if (readyMs === null) throw new Error(`the server was not ready within 120 s:\n${printed}`)
    await new Promise((resolve) => setTimeout(resolve, settleMs))
    return {
      command: `node ${args.join(' ')}`,
      database: input.databaseUrl ? 'postgres' : 'embedded PGlite',
      idleRssMb: await statusMb(pid, 'VmRSS'),
      peakRssMb: await statusMb(pid, 'VmHWM'),
      readyMs: Math.round(readyMs),
      settleMs,
    }
  } finally {
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await gone
      clearTimeout(timer)
    }
    await rm(dataDir, { recursive: true, force: true })
  }
}
