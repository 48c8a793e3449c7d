import type { Connection, ConnectionSource } from '@dialtone/shared/connections'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { CarrierName } from '../carriers/carrier-error.ts'
import { createTelnyxSandboxAccount, createTwilioSandboxAccount } from '../carriers/create-carrier-sandbox-account.ts'
import { createTelnyxClient, type TelnyxClient } from '../carriers/telnyx-client.ts'
import { createTwilioClient, type TwilioClient, type TwilioCredentials } from '../carriers/twilio-client.ts'
import type { CredentialBox } from '../credentials/credential-box.ts'
import { fingerprintSecret, keyHintOf } from '../credentials/credential-box.ts'
import type { Database, ProviderConnectionRow } from '../db/schema.ts'
import { AppError } from '../lib/app-error.ts'
import type { Logger } from '../lib/logger.ts'
import {
  findConnectionByFingerprint,
  findCurrentConnection,
  listSealedSecretsOf,
  storeConnection,
} from './connection-repository.ts'

/** What is sealed for a Twilio connection: the Account SID with an API key and secret, or with the auth token. */
const twilioSecretSchema = z.object({
  accountSid: z.string(),
  apiKeySid: z.string().optional(),
  apiKeySecret: z.string().optional(),
  authToken: z.string().optional(),
})
/** What is sealed for a Telnyx connection: the API key, and the public key its webhooks are signed with. */
const telnyxSecretSchema = z.object({ apiKey: z.string(), publicKey: z.string().nullable().optional() })

export interface TwilioAccount {
  carrier: 'twilio'
  /** Names the account on purchases (a fingerprint of the Account SID): never the credentials. */
  ref: string
  source: ConnectionSource
  credentials: TwilioCredentials
  client: TwilioClient
}

export interface TelnyxAccount {
  carrier: 'telnyx'
  ref: string
  source: ConnectionSource
  apiKey: string
  /** The account's own webhook public key, when the owner gave it (or the sandbox account has one). */
  publicKey: string | null
  client: TelnyxClient
}

export type CarrierAccount = TwilioAccount | TelnyxAccount
type AccountOf<Carrier extends CarrierName> = Carrier extends 'twilio' ? TwilioAccount : TelnyxAccount

/** The fingerprint a Twilio account is known by: its Account SID (a new key for the same account replaces the old). */
export function twilioAccountRef(accountSid: string): string {
  return fingerprintSecret(`twilio:${accountSid}`)
}

export function telnyxAccountRef(apiKey: string): string {
  return fingerprintSecret(`telnyx:${apiKey}`)
}

/** The secret a key hint is cut from: what the owner pasted last. */
export function twilioSecretOf(credentials: TwilioCredentials): string {
  return credentials.apiKeySecret ?? credentials.authToken ?? ''
}

/**
 * Each organisation's carrier accounts (Twilio, Telnyx), beside its Vapi account (connections/vapi-accounts.ts):
 * the current one for new purchases, the one that bought a number for everything about it later (even after the
 * organisation connected another), and in sandbox mode an account of its own at the carrier sandbox, made the first
 * time one is needed. Clients are made once per account and credential.
 */
export interface CarrierAccounts {
  readonly isSandbox: boolean
  current<Carrier extends CarrierName>(organizationId: string, carrier: Carrier): Promise<AccountOf<Carrier>>
  /** The account that bought or imported a number (retired ones too); CONNECTION_REQUIRED once disconnected. */
  owning<Carrier extends CarrierName>(
    organizationId: string,
    carrier: Carrier,
    ref: string,
  ): Promise<AccountOf<Carrier>>
  /** A client for credentials nobody stored yet (checking them before they are saved). */
  twilioClientFor(credentials: TwilioCredentials): TwilioClient
  telnyxClientFor(apiKey: string): TelnyxClient
  /** What GET /api/connections/twilio|telnyx answers. */
  describe(organizationId: string, carrier: CarrierName): Promise<Connection>
  /** Public keys of the organisation's Telnyx accounts (current and retired), for its webhooks. */
  telnyxPublicKeysOf(organizationId: string): Promise<string[]>
}

export interface CarrierAccountsOptions {
  db: Kysely<Database>
  box: CredentialBox
  isSandbox: boolean
  /** Twilio's API or the Twilio sandbox (TWILIO_BASE_URL); undefined: https://api.twilio.com. */
  twilioBaseUrl?: string | null
  /** Telnyx's API or the Telnyx sandbox, with /v2 (TELNYX_BASE_URL); undefined: https://api.telnyx.com/v2. */
  telnyxBaseUrl?: string | null
  /** Where the Telnyx sandbox posts an organisation's number-order webhooks (PUBLIC_URL + /webhooks/telnyx). */
  telnyxWebhookUrl?: string
  timeoutMs?: number
  logger: Logger
  now?: () => Date
}

export function createCarrierAccounts(options: CarrierAccountsOptions): CarrierAccounts {
  const { db, box, isSandbox, logger } = options
  const now = options.now ?? (() => new Date())
  const twilioClients = new Map<string, TwilioClient>()
  const telnyxClients = new Map<string, TelnyxClient>()
  const sandboxAccountsInFlight = new Map<string, Promise<ProviderConnectionRow>>()
  const timeouts = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }

  const twilioClientFor = (credentials: TwilioCredentials): TwilioClient => {
    const key = fingerprintSecret(JSON.stringify(credentials))
    let client = twilioClients.get(key)
    if (!client) {
      client = createTwilioClient({
        credentials,
        ...(options.twilioBaseUrl ? { baseUrl: options.twilioBaseUrl } : {}),
        ...timeouts,
      })
      twilioClients.set(key, client)
    }
    return client
  }

  const telnyxClientFor = (apiKey: string): TelnyxClient => {
    const key = fingerprintSecret(apiKey)
    let client = telnyxClients.get(key)
    if (!client) {
      client = createTelnyxClient({
        apiKey,
        ...(options.telnyxBaseUrl ? { baseUrl: options.telnyxBaseUrl } : {}),
        ...timeouts,
      })
      telnyxClients.set(key, client)
    }
    return client
  }

  const accountOfRow = (row: ProviderConnectionRow): CarrierAccount => {
    const opened: unknown = JSON.parse(box.open(row.secret_ciphertext))
    if (row.provider === 'twilio') {
      const credentials = twilioSecretSchema.parse(opened)
      return {
        carrier: 'twilio',
        ref: row.account_fingerprint,
        source: row.source,
        credentials,
        client: twilioClientFor(credentials),
      }
    }
    const secret = telnyxSecretSchema.parse(opened)
    return {
      carrier: 'telnyx',
      ref: row.account_fingerprint,
      source: row.source,
      apiKey: secret.apiKey,
      publicKey: secret.publicKey ?? null,
      client: telnyxClientFor(secret.apiKey),
    }
  }

  const makeSandboxAccount = async (organizationId: string, carrier: CarrierName) => {
    const organization = await db
      .selectFrom('organization')
      .select('name')
      .where('id', '=', organizationId)
      .executeTakeFirst()
    const name = organization?.name ?? organizationId
    if (carrier === 'twilio') {
      if (!options.twilioBaseUrl) throw new Error('sandbox mode without a Twilio sandbox URL')
      const account = await createTwilioSandboxAccount(options.twilioBaseUrl, name)
      const credentials = {
        accountSid: account.accountSid,
        apiKeySid: account.apiKeySid,
        apiKeySecret: account.apiKeySecret,
      }
      return {
        secret: JSON.stringify(credentials),
        keyHint: keyHintOf(account.apiKeySecret),
        fingerprint: twilioAccountRef(account.accountSid),
        sandboxAccountId: account.accountSid,
      }
    }
    if (!options.telnyxBaseUrl) throw new Error('sandbox mode without a Telnyx sandbox URL')
    const account = await createTelnyxSandboxAccount(
      options.telnyxBaseUrl,
      name,
      options.telnyxWebhookUrl ? { webhookUrl: options.telnyxWebhookUrl } : {},
    )
    return {
      secret: JSON.stringify({ apiKey: account.apiKey, publicKey: account.publicKey }),
      keyHint: keyHintOf(account.apiKey),
      fingerprint: telnyxAccountRef(account.apiKey),
      sandboxAccountId: account.accountId,
    }
  }

  const provisionSandboxAccount = (organizationId: string, carrier: CarrierName) => {
    const flightKey = `${organizationId} ${carrier}`
    const running = sandboxAccountsInFlight.get(flightKey)
    if (running) return running
    const started = (async () => {
      const made = await makeSandboxAccount(organizationId, carrier)
      logger.info(
        { organizationId, carrier, sandboxAccountId: made.sandboxAccountId },
        'sandbox carrier account created',
      )
      return storeConnection(db, {
        organizationId,
        provider: carrier,
        source: 'sandbox',
        secretCiphertext: box.seal(made.secret),
        keyHint: made.keyHint,
        fingerprint: made.fingerprint,
        sandboxAccountId: made.sandboxAccountId,
        connectedByUserId: null,
        now: now(),
      })
    })().finally(() => sandboxAccountsInFlight.delete(flightKey))
    sandboxAccountsInFlight.set(flightKey, started)
    return started
  }

  const currentRow = async (organizationId: string, carrier: CarrierName) => {
    const row = await findCurrentConnection(db, organizationId, carrier)
    if (row) return row
    return isSandbox ? provisionSandboxAccount(organizationId, carrier) : null
  }

  const carrierLabel = (carrier: CarrierName) => (carrier === 'twilio' ? 'Twilio' : 'Telnyx')

  return {
    isSandbox,

    async current<Carrier extends CarrierName>(organizationId: string, carrier: Carrier) {
      const row = await currentRow(organizationId, carrier)
      if (!row) {
        throw new AppError(
          'CONNECTION_REQUIRED',
          `Connect your organisation’s ${carrierLabel(carrier)} account first (Settings → ${carrierLabel(carrier)}).`,
          { provider: carrier },
        )
      }
      return accountOfRow(row) as AccountOf<Carrier>
    },

    async owning<Carrier extends CarrierName>(organizationId: string, carrier: Carrier, ref: string) {
      const row = await findConnectionByFingerprint(db, organizationId, carrier, ref)
      if (!row) {
        throw new AppError(
          'CONNECTION_REQUIRED',
          `The ${carrierLabel(carrier)} account that holds this number is no longer connected. Connect it again (Settings → ${carrierLabel(carrier)}); nothing was changed.`,
          { provider: carrier },
        )
      }
      return accountOfRow(row) as AccountOf<Carrier>
    },

    twilioClientFor,
    telnyxClientFor,

    async describe(organizationId, carrier) {
      const row = await currentRow(organizationId, carrier)
      if (!row) return { connected: false, source: null, keyHint: null, connectedAt: null }
      return {
        connected: true,
        source: row.source,
        keyHint: row.key_hint,
        connectedAt: new Date(row.connected_at).toISOString(),
      }
    },

    async telnyxPublicKeysOf(organizationId) {
      const keys: string[] = []
      for (const sealed of await listSealedSecretsOf(db, organizationId, 'telnyx')) {
        const secret = telnyxSecretSchema.safeParse(JSON.parse(box.open(sealed)))
        if (secret.success && secret.data.publicKey) keys.push(secret.data.publicKey)
      }
      return keys
    },
  }
}
