import type { PutTelnyxConnectionRequest, PutTwilioConnectionRequest } from '@dialtone/shared/carriers'
import type { Connection } from '@dialtone/shared/connections'
import type { Kysely } from 'kysely'
import type { CarrierName } from '../carriers/carrier-error.ts'
import { isCarrierError } from '../carriers/carrier-error.ts'
import { isTelnyxPublicKey } from '../carriers/verify-telnyx-webhook.ts'
import type { CredentialBox } from '../credentials/credential-box.ts'
import { keyHintOf } from '../credentials/credential-box.ts'
import type { Database } from '../db/schema.ts'
import { AppError } from '../lib/app-error.ts'
import type { Logger } from '../lib/logger.ts'
import { telnyxAccountRef, twilioAccountRef, twilioSecretOf, type CarrierAccounts } from './carrier-accounts.ts'
import { deleteConnections, storeConnection } from './connection-repository.ts'

export interface CarrierConnectionDeps {
  db: Kysely<Database>
  box: CredentialBox
  carrierAccounts: CarrierAccounts
  logger: Logger
  now: () => Date
}

const labelOf = (carrier: CarrierName) => (carrier === 'twilio' ? 'Twilio' : 'Telnyx')

/** The credentials are tried at the carrier first; refused is CONNECTION_INVALID, and nothing is stored either way. */
async function checkAtCarrier(carrier: CarrierName, check: () => Promise<void>, logger: Logger): Promise<void> {
  try {
    await check()
  } catch (error) {
    if (isCarrierError(error) && error.kind === 'unauthorized') {
      throw new AppError(
        'CONNECTION_INVALID',
        carrier === 'twilio'
          ? 'Twilio refused these credentials, so nothing was saved. Use the Account SID with an API key SID and its secret (Console → API keys), or with the auth token.'
          : 'Telnyx refused this API key, so nothing was saved. Paste an API key from the Telnyx portal (Account settings → API Keys).',
        { provider: carrier },
      )
    }
    if (isCarrierError(error) && error.kind === 'rate-limited') {
      throw new AppError(
        'CARRIER_RATE_LIMITED',
        `${labelOf(carrier)} is busy and could not check the credentials; nothing was saved. Try again shortly.`,
        undefined,
        Math.max(1, Math.ceil((error.retryAfterMs ?? 10_000) / 1000)),
      )
    }
    logger.warn({ err: error, carrier }, 'could not check carrier credentials')
    throw new AppError(
      'CARRIER_UNAVAILABLE',
      `${labelOf(carrier)} did not answer, so the credentials could not be checked and nothing was saved. Try again in a minute.`,
      undefined,
      30,
    )
  }
}

/**
 * PUT /api/connections/twilio: checked at Twilio, then sealed (never stored or logged in the clear). The account is
 * known by its Account SID: a new key for the same account replaces the old one; another account retires it, and
 * the numbers it holds keep using it.
 */
export async function connectTwilioAccount(
  deps: CarrierConnectionDeps,
  input: { organizationId: string; request: PutTwilioConnectionRequest; userId: string | null },
): Promise<Connection> {
  const credentials =
    'authToken' in input.request
      ? { accountSid: input.request.accountSid, authToken: input.request.authToken }
      : {
          accountSid: input.request.accountSid,
          apiKeySid: input.request.apiKeySid,
          apiKeySecret: input.request.apiKeySecret,
        }
  await checkAtCarrier(
    'twilio',
    () => deps.carrierAccounts.twilioClientFor(credentials).checkCredentials(),
    deps.logger,
  )
  await storeConnection(deps.db, {
    organizationId: input.organizationId,
    provider: 'twilio',
    source: 'organization',
    secretCiphertext: deps.box.seal(JSON.stringify(credentials)),
    keyHint: keyHintOf(twilioSecretOf(credentials)),
    fingerprint: twilioAccountRef(credentials.accountSid),
    sandboxAccountId: null,
    connectedByUserId: input.userId,
    now: deps.now(),
  })
  deps.logger.info({ organizationId: input.organizationId }, 'twilio account connected')
  return deps.carrierAccounts.describe(input.organizationId, 'twilio')
}

/** PUT /api/connections/telnyx: the API key checked at Telnyx; the optional public key must be an Ed25519 key. */
export async function connectTelnyxAccount(
  deps: CarrierConnectionDeps,
  input: { organizationId: string; request: PutTelnyxConnectionRequest; userId: string | null },
): Promise<Connection> {
  const { apiKey, publicKey } = input.request
  if (publicKey !== undefined && publicKey !== '' && !isTelnyxPublicKey(publicKey)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'publicKey: paste the public key from the Telnyx portal (Account settings → Keys & Credentials → Public Key): base64 of 32 bytes.',
    )
  }
  await checkAtCarrier('telnyx', () => deps.carrierAccounts.telnyxClientFor(apiKey).checkCredentials(), deps.logger)
  await storeConnection(deps.db, {
    organizationId: input.organizationId,
    provider: 'telnyx',
    source: 'organization',
    secretCiphertext: deps.box.seal(JSON.stringify({ apiKey, publicKey: publicKey || null })),
    keyHint: keyHintOf(apiKey),
    fingerprint: telnyxAccountRef(apiKey),
    sandboxAccountId: null,
    connectedByUserId: input.userId,
    now: deps.now(),
  })
  deps.logger.info({ organizationId: input.organizationId }, 'telnyx account connected')
  return deps.carrierAccounts.describe(input.organizationId, 'telnyx')
}

/**
 * DELETE /api/connections/twilio|telnyx: every key of the organisation for that carrier is deleted. Numbers it
 * holds stay live in Vapi; releasing them at the carrier waits until the account is connected again.
 */
export async function disconnectCarrierAccount(
  deps: CarrierConnectionDeps,
  input: { organizationId: string; carrier: CarrierName },
): Promise<Connection> {
  const deleted = await deleteConnections(deps.db, input.organizationId, input.carrier)
  deps.logger.info({ organizationId: input.organizationId, carrier: input.carrier, deleted }, 'carrier disconnected')
  return { connected: false, source: null, keyHint: null, connectedAt: null }
}
