import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { Env } from './env.ts'

/** What the process runs with, after the environment is parsed and generated secrets are loaded. */
export interface Config {
  env: Env
  /** No VAPI_API_KEY: the owner chose the sandbox. Never a fallback when real Vapi fails. */
  isSandbox: boolean
  isEmbeddedDatabase: boolean
  vapiApiKey: string
  /** Where Vapi is; null means "start the sandbox in this process and use its URL". */
  vapiBaseUrl: string | null
  webhookSecret: string
  authSecret: string
}

const generatedSecretsSchema = z.object({ authSecret: z.string().min(32), webhookSecret: z.string().min(32) })

/** Secrets dialtone may generate for itself: only for the embedded database, and only into DATA_DIR. */
async function loadOrCreateGeneratedSecrets(dataDir: string) {
  const file = path.resolve(dataDir, 'secrets.json')
  try {
    return generatedSecretsSchema.parse(JSON.parse(await readFile(file, 'utf8')))
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error
  }
  const secrets = { authSecret: randomBytes(32).toString('hex'), webhookSecret: randomBytes(32).toString('hex') }
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 })
  return secrets
}

export const sandboxApiKey = 'sandbox-private-key'

export async function resolveConfig(env: Env): Promise<Config> {
  const isSandbox = env.VAPI_API_KEY === undefined
  const isEmbeddedDatabase = env.DATABASE_URL === undefined
  const needsGenerated = (isEmbeddedDatabase && !env.AUTH_SECRET) || (isSandbox && !env.VAPI_WEBHOOK_SECRET)
  const generated = needsGenerated ? await loadOrCreateGeneratedSecrets(env.DATA_DIR) : null
  const authSecret = env.AUTH_SECRET ?? generated?.authSecret
  const webhookSecret = env.VAPI_WEBHOOK_SECRET ?? generated?.webhookSecret
  // env.ts already refuses these combinations; this guards the types.
  if (!authSecret || !webhookSecret) throw new Error('AUTH_SECRET and VAPI_WEBHOOK_SECRET must be set')
  return {
    env,
    isSandbox,
    isEmbeddedDatabase,
    vapiApiKey: env.VAPI_API_KEY ?? sandboxApiKey,
    vapiBaseUrl: env.VAPI_BASE_URL ?? (isSandbox ? null : 'https://api.vapi.ai'),
    webhookSecret,
    authSecret,
  }
}
