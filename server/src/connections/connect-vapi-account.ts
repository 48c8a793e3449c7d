import type { Connection } from '@dialtone/shared/connections'
import type { Kysely } from 'kysely'
import type { CredentialBox } from '../credentials/credential-box.ts'
import { fingerprintSecret, keyHintOf } from '../credentials/credential-box.ts'
import type { Database } from '../db/schema.ts'
import { AppError } from '../lib/app-error.ts'
import type { Logger } from '../lib/logger.ts'
import { VapiRateLimitedError, VapiUnauthorizedError } from '../vapi/vapi-errors.ts'
import type { VapiClient } from '../vapi/vapi-client.ts'
import { deleteConnections, storeConnection } from './connection-repository.ts'
import type { VapiAccounts } from './vapi-accounts.ts'

export interface ConnectionDeps {
  db: Kysely<Database>
  box: CredentialBox
  accounts: VapiAccounts
  /** A client for a key not stored yet: made fresh, used once to check it. */
  clientForUncheckedKey: (apiKey: string) => VapiClient
  logger: Logger
  now: () => Date
}

/**
 * PUT /api/connections/vapi: the key is tried at Vapi first (one cheap authenticated read); a refused key is
 * CONNECTION_INVALID and nothing is stored. An accepted key is sealed (never stored or logged in the clear) and
 * becomes the organisation's account for new numbers; numbers bought with an earlier key keep using that one.
 */
export async function connectVapiAccount(
  deps: ConnectionDeps,
  input: { organizationId: string; apiKey: string; userId: string | null },
): Promise<Connection> {
  const { apiKey } = input
  try {
    await deps
      .clientForUncheckedKey(apiKey)
      .listPhoneNumbers({ limit: 1 }, { organizationId: input.organizationId, priority: 'interactive' })
  } catch (error) {
    if (error instanceof VapiUnauthorizedError) {
      throw new AppError(
        'CONNECTION_INVALID',
        'Vapi refused this key, so nothing was saved. Paste the private key (not the public one) from the Vapi dashboard, under API Keys.',
        { provider: 'vapi' },
      )
    }
    if (error instanceof VapiRateLimitedError) {
      throw new AppError(
        'VAPI_RATE_LIMITED',
        'Vapi is busy and could not check the key; nothing was saved. Try again shortly.',
        undefined,
        10,
      )
    }
    deps.logger.warn({ err: error }, 'could not check a Vapi key')
    throw new AppError(
      'VAPI_UNAVAILABLE',
      'Vapi did not answer, so the key could not be checked and nothing was saved. Try again in a minute.',
      undefined,
      30,
    )
  }
  await storeConnection(deps.db, {
    organizationId: input.organizationId,
    provider: 'vapi',
    source: 'organization',
    secretCiphertext: deps.box.seal(apiKey),
    keyHint: keyHintOf(apiKey),
    fingerprint: fingerprintSecret(apiKey),
    sandboxAccountId: null,
    connectedByUserId: input.userId,
    now: deps.now(),
  })
  deps.logger.info({ organizationId: input.organizationId, keyHint: keyHintOf(apiKey) }, 'vapi account connected')
  return deps.accounts.describe(input.organizationId)
}

/**
 * DELETE /api/connections/vapi: every Vapi key of the organisation is deleted. Numbers bought with one of them stay
 * as they are; checking, changing or releasing them answers VAPI_ACCOUNT_DISCONNECTED until that key is connected
 * again. In sandbox mode a new sandbox account is made the next time one is needed.
 */
export async function disconnectVapiAccount(
  deps: ConnectionDeps,
  input: { organizationId: string },
): Promise<Connection> {
  const deleted = await deleteConnections(deps.db, input.organizationId, 'vapi')
  deps.logger.info({ organizationId: input.organizationId, deleted }, 'vapi account disconnected')
  if (deps.accounts.isSandbox) return { connected: false, source: null, keyHint: null, connectedAt: null }
  return deps.accounts.describe(input.organizationId)
}
