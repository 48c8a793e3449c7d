import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { repoRoot } from './paths.ts'

/** Asks the OS for a port nobody listens on. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

/** A port whose next two are free as well: `pnpm sandbox` also binds Twilio's (+1) and Telnyx's (+2) sandboxes. */
export async function findFreePortRun(length = 3): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await findFreePort()
    const rest = Array.from({ length: length - 1 }, (_, index) => first + index + 1)
    const free = await Promise.all(rest.map((port) => isPortFree(port)))
    if (free.every(Boolean)) return first
  }
  throw new Error(`no ${length} consecutive free ports`)
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

export async function createDataDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'dialtone-e2e-'))
}

export function createSecret(): string {
  return randomBytes(32).toString('hex')
}

export interface RunningProcess {
  url: string
  output: () => string
  stop: () => Promise<void>
}

/**
 * Starts a pnpm script the way a user does, in its own process group so stopping it also stops the
 * node processes under pnpm.
 */
function spawnScript(script: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn('pnpm', ['--filter', '@dialtone/server', script], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  return { child, output: () => output }
}

async function waitUntil(
  check: () => Promise<boolean>,
  child: ChildProcess,
  output: () => string,
  what: string,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}:\n${output()}`)
    if (await check().catch(() => false)) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${what} was not ready after ${timeoutMs} ms:\n${output()}`)
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid ?? 0), name)
    } catch {
      // Already gone.
    }
  }
  signal('SIGTERM')
  const timer = setTimeout(() => signal('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}

export interface AppOptions {
  port: number
  dataDir: string
  env?: Record<string, string>
}

/** `pnpm --filter @dialtone/server start` on a port and data directory of its own; resolves once /readyz answers. */
export async function startApp(options: AppOptions): Promise<RunningProcess> {
  const url = `http://localhost:${options.port}`
  const { child, output } = spawnScript('start', {
    PORT: String(options.port),
    DATA_DIR: options.dataDir,
    SANDBOX_MIN_DELAY_MS: '1500',
    SANDBOX_MAX_DELAY_MS: '3000',
    // The suite's owners all buy with dialtone's one sandbox key; Vapi's real limit (5) would refuse most of them.
    SANDBOX_FREE_NUMBER_LIMIT: '1000',
    DEMO_ACCOUNTS: 'false',
    // The suite signs up a score of owners within minutes, all from 127.0.0.1; Better Auth's per-client limit
    // (10 sign-ups a minute) would refuse most of them. NODE_ENV=test turns off that limit and nothing else
    // (server/src/main.ts).
    NODE_ENV: 'test',
    ...options.env,
  })
  await waitUntil(async () => (await fetch(`${url}/readyz`)).ok, child, output, `dialtone on ${url}`)
  return { url, output, stop: () => stopProcessGroup(child) }
}

export interface SandboxOptions {
  port: number
  webhookSecret: string
  minDelayMs: number
  maxDelayMs: number
}

/** `pnpm sandbox`: the Vapi stand-in on its own, so it outlives a dialtone restart. */
export async function startSandbox(options: SandboxOptions): Promise<RunningProcess> {
  const url = `http://127.0.0.1:${options.port}`
  const { child, output } = spawnScript('sandbox', {
    SANDBOX_PORT: String(options.port),
    HOST: '127.0.0.1',
    VAPI_WEBHOOK_SECRET: options.webhookSecret,
    SANDBOX_MIN_DELAY_MS: String(options.minDelayMs),
    SANDBOX_MAX_DELAY_MS: String(options.maxDelayMs),
    SANDBOX_FREE_NUMBER_LIMIT: '1000',
  })
  await waitUntil(
    async () => (await fetch(`${url}/_sandbox/phone-numbers`)).status < 500,
    child,
    output,
    `sandbox on ${url}`,
  )
  return { url, output, stop: () => stopProcessGroup(child) }
}
