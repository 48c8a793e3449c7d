import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

const serverPackageDir = path.resolve(import.meta.dirname, '../..')

export const chaosAuthSecret = 'chaos-auth-secret-0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a'
export const chaosWebhookSecret = 'chaos-webhook-secret-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d'

export interface ServerSettings {
  port: number
  databaseUrl: string
  vapiBaseUrl: string
  /** Anything else main.ts reads. */
  env?: Record<string, string>
}

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface ChaosServer {
  pid: number
  url: string
  output(): string
  waitReady(timeoutMs?: number): Promise<void>
  /** Sends the signal; resolves with how the process ended. */
  kill(signal: NodeJS.Signals): Promise<Exit>
  exited: Promise<Exit>
  hasExited(): boolean
}

/**
 * `node --import tsx src/main.ts` as `pnpm start` runs it, with an explicit environment: NODE_ENV=test, warnings
 * only, the given database and Vapi, webhooks pointed back at this process. Nothing from the caller's
 * environment leaks in (a developer's VAPI_API_KEY can never reach a chaos run).
 */
export function startServer(settings: ServerSettings): ChaosServer {
  const url = `http://127.0.0.1:${settings.port}`
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverPackageDir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(settings.port),
      DATABASE_URL: settings.databaseUrl,
      AUTH_SECRET: chaosAuthSecret,
      VAPI_BASE_URL: settings.vapiBaseUrl,
      VAPI_WEBHOOK_SECRET: chaosWebhookSecret,
      PUBLIC_URL: url,
      DEMO_ACCOUNTS: 'false',
      ...settings.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (child.pid === undefined) throw new Error('could not start a server process')
  let printed = ''
  const keep = (chunk: Buffer) => {
    printed = (printed + chunk.toString('utf8')).slice(-30_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let exit: Exit | null = null
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal }
      resolve(exit)
    })
  })

  return {
    pid: child.pid,
    url,
    output: () => printed,
    exited,
    hasExited: () => exit !== null,
    waitReady: async (timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        if (exit) throw new Error(`server exited (${JSON.stringify(exit)}) before it was ready:\n${printed}`)
        try {
          const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) })
          await response.arrayBuffer()
          // main.ts answers 503 until the app is wired; /readyz then also proves the database answers.
          if (response.status === 200) return
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      throw new Error(`server was not ready within ${timeoutMs} ms:\n${printed}`)
    },
    kill: async (signal) => {
      if (exit) return exit
      child.kill(signal)
      return exited
    },
  }
}
