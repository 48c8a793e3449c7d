import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { CredentialKeys } from './credentials/credential-box.ts'
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
  /** What seals stored secrets, and where its key came from (decision 0010). */
  credentialKeys: CredentialKeys
  credentialsKeySource: 'environment' | 'generated' | 'auth-secret'
  /** Where Twilio is; null means "start the Twilio sandbox in this process" (sandbox mode, TWILIO_BASE_URL unset). */
  twilioBaseUrl: string | null
  /** Where Telnyx is (…/v2); null means "start the Telnyx sandbox in this process". */
  telnyxBaseUrl: string | null
  /** TELNYX_PUBLIC_KEY; null in sandbox mode means the in-process Telnyx sandbox's key (compose-server fills it in). */
  telnyxPublicKey: string | null
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

const credentialsKeyFile = 'credentials-key'

/** The embedded database's generated CREDENTIALS_KEY: made once, 0600, and reused; null when absent. */
async function readGeneratedCredentialsKey(dataDir: string): Promise<string | null> {
  try {
    const key = (await readFile(path.resolve(dataDir, credentialsKeyFile), 'utf8')).trim()
    return key.length >= 32 ? key : null
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null
    throw error
  }
}

async function createGeneratedCredentialsKey(dataDir: string): Promise<string> {
  const key = randomBytes(32).toString('hex')
  await mkdir(path.resolve(dataDir), { recursive: true })
  // 'wx': two processes starting at once never overwrite each other's key; the loser reads the winner's.
  try {
    await writeFile(path.resolve(dataDir, credentialsKeyFile), `${key}\n`, { mode: 0o600, flag: 'wx' })
    return key
  } catch (error) {
    const existing = await readGeneratedCredentialsKey(dataDir)
    if (existing) return existing
    throw error
  }
}

/**
 * CREDENTIALS_KEY when set; on the embedded database a key generated into DATA_DIR; on Postgres without it (only
 * allowed with VAPI_ACCOUNT_POLICY=platform) a key derived from AUTH_SECRET, with a warning at start (decision
 * 0010). Previous keys (CREDENTIALS_KEY_PREVIOUS, a generated key CREDENTIALS_KEY replaced, AUTH_SECRET) still
 * open what they sealed.
 */
export async function resolveCredentialKeys(
  env: Env,
  authSecret: string,
): Promise<Pick<Config, 'credentialKeys' | 'credentialsKeySource'>> {
  const isEmbeddedDatabase = env.DATABASE_URL === undefined
  const generated = isEmbeddedDatabase ? await readGeneratedCredentialsKey(env.DATA_DIR) : null
  const previous = [env.CREDENTIALS_KEY_PREVIOUS, generated ?? undefined, authSecret].filter(
    (key): key is string => key !== undefined && key.length >= 32,
  )
  if (env.CREDENTIALS_KEY) {
    return {
      credentialKeys: { current: env.CREDENTIALS_KEY, previous, legacyAuthSecret: authSecret },
      credentialsKeySource: 'environment',
    }
  }
  if (isEmbeddedDatabase) {
    const key = generated ?? (await createGeneratedCredentialsKey(env.DATA_DIR))
    return {
      credentialKeys: { current: key, previous, legacyAuthSecret: authSecret },
      credentialsKeySource: 'generated',
    }
  }
  return {
    credentialKeys: { current: authSecret, previous, legacyAuthSecret: authSecret },
    credentialsKeySource: 'auth-secret',
  }
}

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
    ...(await resolveCredentialKeys(env, authSecret)),
    twilioBaseUrl: env.TWILIO_BASE_URL ?? (isSandbox ? null : 'https://api.twilio.com'),
    telnyxBaseUrl: env.TELNYX_BASE_URL ?? (isSandbox ? null : 'https://api.telnyx.com/v2'),
    telnyxPublicKey: env.TELNYX_PUBLIC_KEY?.trim() ?? null,
  }
}
