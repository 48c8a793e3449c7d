import { startDialtone, type ComposeOptions } from '../../src/compose-server.ts'
import { resolveConfig } from '../../src/config.ts'
import { parseEnv } from '../../src/env.ts'
import type { TestDatabase } from './test-databases.ts'

export interface TestServerSettings extends Omit<ComposeOptions, 'database'> {
  authSecret: string
  webhookSecret: string
  vapiApiKey: string
  /** Anything else env.ts reads (VAPI_WEBHOOK_AUTH, SANDBOX_MIN_DELAY_MS, ...), as strings. */
  env?: Record<string, string>
}

/**
 * The server as main.ts starts it (startDialtone), on a throwaway database and a loopback port, with the
 * built-in Vapi sandbox; tests choose the rest through the composition root's options. Test servers always get
 * an explicit environment, never the caller's.
 */
export async function startTestServer(database: TestDatabase, settings: TestServerSettings) {
  const { authSecret, webhookSecret, vapiApiKey, env = {}, ...options } = settings
  const config = await resolveConfig(
    parseEnv({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      DEMO_ACCOUNTS: 'false',
      AUTH_SECRET: authSecret,
      VAPI_WEBHOOK_SECRET: webhookSecret,
      VAPI_MAX_RPS: '1000',
      // Never generated into a DATA_DIR from a test; rotation tests pass their own.
      CREDENTIALS_KEY: 'test-credentials-key-0123456789abcdef',
      // Every organisation of a test server buys with its one key; tests of Vapi's real limit (5) set it back.
      SANDBOX_FREE_NUMBER_LIMIT: '1000',
      ...(database.url ? { DATABASE_URL: database.url } : {}),
      ...env,
    }),
  )
  const server = await startDialtone(
    { ...config, vapiApiKey },
    { clusterAdapter: false, runsWorker: false, webDistDir: null, vapiRetryBaseDelayMs: 10, ...options, database },
  )
  const { url } = server
  // VAPI_BASE_URL in `env`: a sandbox the test started itself on a real port (as an external Vapi), not closed here.
  const sandbox =
    server.sandbox ?? (env.VAPI_BASE_URL ? { url: server.vapiBaseUrl, port: 0, close: async () => {} } : null)
  if (!sandbox || !url) throw new Error('a test server runs the web role with the built-in sandbox or VAPI_BASE_URL')
  return { ...server, sandbox, url }
}
