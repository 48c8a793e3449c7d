import type { Connection, ConnectionSource } from '@dialtone/shared/connections'
import type { Kysely } from 'kysely'
import type { Database, ProviderConnectionRow } from '../db/schema.ts'
import type { CredentialBox } from '../credentials/credential-box.ts'
import { fingerprintSecret, keyHintOf } from '../credentials/credential-box.ts'
import { AppError } from '../lib/app-error.ts'
import type { Logger } from '../lib/logger.ts'
import type { VapiClient } from '../vapi/vapi-client.ts'
import { findConnectionByFingerprint, findCurrentConnection, storeConnection } from './connection-repository.ts'
import { createSandboxAccount } from './create-sandbox-account.ts'

/** Names the Vapi account a number was bought with, on the number: never the key. */
export type VapiAccountRef = 'platform' | `key:${string}`

export const platformAccountRef: VapiAccountRef = 'platform'

export function accountRefOfFingerprint(fingerprint: string): VapiAccountRef {
  return `key:${fingerprint}`
}

export interface VapiAccount {
  ref: VapiAccountRef
  source: ConnectionSource
  client: VapiClient
}

export type VapiAccountPolicy = 'platform' | 'own'

/**
 * Which Vapi account each call uses. New work (a purchase, the assistant list) uses the organisation's current
 * account; everything about an existing number uses the account that bought it (its `vapi_account`), even after
 * the organisation connected another key. Clients are made once per key, so each account has its own rate and
 * its own Retry-After pauses in the limiter.
 */
export interface VapiAccounts {
  readonly policy: VapiAccountPolicy
  readonly isSandbox: boolean
  /** The organisation's account for new work; in sandbox mode one is made for it the first time. */
  current(organizationId: string): Promise<VapiAccount>
  /** The account that bought a number (attempt, orphan); null is a number bought with the platform key. */
  owning(organizationId: string | null, ref: string | null): Promise<VapiClient>
  /** A client for a key nobody stored yet (checking a key before it is saved). */
  clientForKey(apiKey: string): VapiClient
  /** What GET /api/connections/vapi answers. */
  describe(organizationId: string): Promise<Connection>
}

export interface VapiAccountsOptions {
  db: Kysely<Database>
  box: CredentialBox
  policy: VapiAccountPolicy
  isSandbox: boolean
  /** The deployment's VAPI_API_KEY (the sandbox's shared key in sandbox mode): numbers bought before 0010. */
  platformClient: VapiClient
  /** Where the sandbox takes `POST /_sandbox/accounts` (sandbox mode only). */
  sandboxUrl: string | null
  makeClient: (apiKey: string, accountKey: string) => VapiClient
  logger: Logger
  now?: () => Date
}

export function createVapiAccounts(options: VapiAccountsOptions): VapiAccounts {
  const { db, box, policy, isSandbox, platformClient, logger } = options
  const now = options.now ?? (() => new Date())
  const clients = new Map<string, VapiClient>()
  // Two requests of one organisation at once must not make two sandbox accounts.
  const sandboxAccountsInFlight = new Map<string, Promise<ProviderConnectionRow>>()

  const clientFor = (apiKey: string): VapiClient => {
    const fingerprint = fingerprintSecret(apiKey)
    let client = clients.get(fingerprint)
    if (!client) {
      client = options.makeClient(apiKey, fingerprint)
      clients.set(fingerprint, client)
    }
    return client
  }

  const clientOfRow = (row: ProviderConnectionRow): VapiClient => {
    const cached = clients.get(row.account_fingerprint)
    return cached ?? clientFor(box.open(row.secret_ciphertext))
  }

  const provisionSandboxAccount = (organizationId: string): Promise<ProviderConnectionRow> => {
    const running = sandboxAccountsInFlight.get(organizationId)
    if (running) return running
    const started = (async () => {
      if (!options.sandboxUrl) throw new Error('sandbox mode without a sandbox URL')
      const organization = await db
        .selectFrom('organization')
        .select('name')
        .where('id', '=', organizationId)
        .executeTakeFirst()
      const account = await createSandboxAccount(options.sandboxUrl, organization?.name ?? organizationId)
      logger.info({ organizationId, sandboxAccountId: account.accountId }, 'sandbox Vapi account created')
      return storeConnection(db, {
        organizationId,
        provider: 'vapi',
        source: 'sandbox',
        secretCiphertext: box.seal(account.apiKey),
        keyHint: keyHintOf(account.apiKey),
        fingerprint: fingerprintSecret(account.apiKey),
        sandboxAccountId: account.accountId,
        connectedByUserId: null,
        now: now(),
      })
    })().finally(() => sandboxAccountsInFlight.delete(organizationId))
    sandboxAccountsInFlight.set(organizationId, started)
    return started
  }

  const currentRow = async (organizationId: string): Promise<ProviderConnectionRow | null> => {
    const row = await findCurrentConnection(db, organizationId, 'vapi')
    if (row) return row
    return isSandbox ? provisionSandboxAccount(organizationId) : null
  }

  return {
    policy,
    isSandbox,

    async current(organizationId) {
      const row = await currentRow(organizationId)
      if (row) {
        return { ref: accountRefOfFingerprint(row.account_fingerprint), source: row.source, client: clientOfRow(row) }
      }
      if (policy === 'platform') return { ref: platformAccountRef, source: 'platform', client: platformClient }
      throw new AppError(
        'CONNECTION_REQUIRED',
        'Connect your organisation’s Vapi account first (Settings → Vapi: paste a private key from the Vapi dashboard). This dialtone server does not buy numbers with a shared account.',
        { provider: 'vapi' },
      )
    },

    async owning(organizationId, ref) {
      if (ref === null || ref === platformAccountRef) return platformClient
      const fingerprint = ref.startsWith('key:') ? ref.slice('key:'.length) : ref
      const row =
        organizationId === null ? undefined : await findConnectionByFingerprint(db, organizationId, 'vapi', fingerprint)
      if (!row) {
        throw new AppError(
          'VAPI_ACCOUNT_DISCONNECTED',
          'The Vapi account that bought this number is no longer connected, so dialtone cannot check or change it there. Connect that Vapi key again (Settings → Vapi) and it works as before; nothing was changed.',
          { provider: 'vapi' },
        )
      }
      return clientOfRow(row)
    },

    clientForKey: clientFor,

    async describe(organizationId) {
      const row = await currentRow(organizationId)
      if (row) {
        return {
          connected: true,
          source: row.source,
          keyHint: row.key_hint,
          connectedAt: new Date(row.connected_at).toISOString(),
        }
      }
      if (policy === 'platform') return { connected: true, source: 'platform', keyHint: null, connectedAt: null }
      return { connected: false, source: null, keyHint: null, connectedAt: null }
    },
  }
}
