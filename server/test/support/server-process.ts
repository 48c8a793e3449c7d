import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { inheritedPath } from './test-env.ts'

/** The server package's folder: `node --import tsx src/main.ts` runs from here, as `pnpm dev` does. */
export const serverPackageDir = path.resolve(import.meta.dirname, '../..')

export interface ServerProcessOptions {
  /** Loopback port to listen on; 0 is not reported back by main.ts, so the caller picks a free one. */
  port: number
  /** null: the embedded database in DATA_DIR (set it in extraEnv), as `pnpm start` on a fresh clone. */
  databaseUrl: string | null
  authSecret: string
  /** null: the built-in sandbox in the process, as `pnpm start` with no VAPI_API_KEY. */
  vapiBaseUrl: string | null
  webhookSecret: string
  /** Where Vapi (the sandbox) sends webhooks; defaults to this process. */
  publicUrl?: string
  role?: 'web' | 'worker' | 'both'
  /** Anything else main.ts reads (VAPI_MAX_RPS, REDIS_URL, ...). */
  extraEnv?: Record<string, string>
  /** Extra flags for node itself, e.g. --cpu-prof while profiling a benchmark. */
  nodeFlags?: string[]
}

export interface ServerExit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface ServerProcess {
  pid: number
  port: number
  url: string
  child: ChildProcess
  /** What the process printed so far (stdout and stderr), for a failing test's message. */
  output(): string
  /** Resolves once /readyz answers 200; rejects if the process exits first or the time runs out. */
  waitReady(timeoutMs?: number): Promise<void>
  /** Sends the signal and resolves with how the process ended (SIGKILL cannot be ignored). */
  kill(signal?: NodeJS.Signals): Promise<ServerExit>
  exited: Promise<ServerExit>
  hasExited(): boolean
}

/**
 * One dialtone server as a separate operating-system process, with an explicit environment (nothing leaks in
 * from the caller's but PATH, so a VAPI_API_KEY in a developer's shell can never reach a test, a chaos scenario
 * or a benchmark). The one way every suite spawns a server; it runs the sources through tsx, so no build is needed.
 */
/** The METRICS_TOKEN every spawned server gets, so suites and benchmarks can read /metrics. */
export const testMetricsToken = 'test-metrics-token-3f9a2c7e1b5d'

/** GET /metrics of a spawned server, with its token. */
export const fetchMetrics = (baseUrl: string) =>
  fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${testMetricsToken}` } })

export function spawnServerProcess(options: ServerProcessOptions): ServerProcess {
  const url = `http://127.0.0.1:${options.port}`
  const env: Record<string, string> = {
    PATH: inheritedPath,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(options.port),
    ROLE: options.role ?? 'both',
    ...(options.databaseUrl === null ? {} : { DATABASE_URL: options.databaseUrl }),
    AUTH_SECRET: options.authSecret,
    ...(options.vapiBaseUrl === null ? {} : { VAPI_BASE_URL: options.vapiBaseUrl }),
    VAPI_WEBHOOK_SECRET: options.webhookSecret,
    PUBLIC_URL: options.publicUrl ?? url,
    DEMO_ACCOUNTS: 'false',
    METRICS_TOKEN: testMetricsToken,
    ...options.extraEnv,
  }
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', 'src/main.ts'], {
    cwd: serverPackageDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (child.pid === undefined) throw new Error('could not spawn a server process')
  const pid = child.pid
  let printed = ''
  const keep = (chunk: Buffer) => {
    // The tail is what explains a failure; a chatty process must not grow this without bound.
    printed = (printed + chunk.toString('utf8')).slice(-30_000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let exit: ServerExit | null = null
  const exited = new Promise<ServerExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal }
      resolve(exit)
    })
  })

  return {
    pid,
    port: options.port,
    url,
    child,
    output: () => printed,
    exited,
    hasExited: () => exit !== null,
    waitReady: async (timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        if (exit) throw new Error(`server on ${url} exited (${JSON.stringify(exit)}) before it was ready:\n${printed}`)
        try {
          const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) })
          await response.arrayBuffer()
          // main.ts answers 503 until the app is wired; /readyz then also proves the database answers.
          if (response.status === 200) return
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      throw new Error(`server on ${url} was not ready within ${timeoutMs} ms:\n${printed}`)
    },
    kill: async (signal = 'SIGTERM') => {
      if (exit) return exit
      child.kill(signal)
      return exited
    },
  }
}
