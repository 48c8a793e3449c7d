import type { Kysely, Transaction } from 'kysely'
import type { Database, ProviderConnectionRow } from '../db/schema.ts'

type Db = Kysely<Database> | Transaction<Database>
export type Provider = ProviderConnectionRow['provider']

/** The organisation's current connection to a provider (not a retired one), or undefined. */
export async function findCurrentConnection(
  db: Db,
  organizationId: string,
  provider: Provider,
): Promise<ProviderConnectionRow | undefined> {
  return db
    .selectFrom('provider_connection')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('provider', '=', provider)
    .where('retired_at', 'is', null)
    .executeTakeFirst()
}

/** The organisation's connection (current or retired) to the account with this fingerprint. */
export async function findConnectionByFingerprint(
  db: Db,
  organizationId: string,
  provider: Provider,
  fingerprint: string,
): Promise<ProviderConnectionRow | undefined> {
  return db
    .selectFrom('provider_connection')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('provider', '=', provider)
    .where('account_fingerprint', '=', fingerprint)
    .executeTakeFirst()
}

export interface NewConnection {
  organizationId: string
  provider: Provider
  source: ProviderConnectionRow['source']
  secretCiphertext: string
  keyHint: string
  fingerprint: string
  sandboxAccountId: string | null
  connectedByUserId: string | null
  now: Date
}

/**
 * Makes this key the organisation's current one in one transaction: the previous key is retired (kept, so the
 * numbers it bought still work), and a key connected before is brought back rather than stored twice.
 */
export async function storeConnection(db: Kysely<Database>, input: NewConnection): Promise<ProviderConnectionRow> {
  return db.transaction().execute(async (trx) => {
    // Serialises two PUTs of one organisation: the partial unique index would refuse the loser anyway.
    await trx
      .selectFrom('organization')
      .select('id')
      .where('id', '=', input.organizationId)
      .forUpdate()
      .executeTakeFirst()
    await trx
      .updateTable('provider_connection')
      .set({ retired_at: input.now })
      .where('organization_id', '=', input.organizationId)
      .where('provider', '=', input.provider)
      .where('retired_at', 'is', null)
      .where('account_fingerprint', '!=', input.fingerprint)
      .execute()
    const values = {
      source: input.source,
      secret_ciphertext: input.secretCiphertext,
      key_hint: input.keyHint,
      sandbox_account_id: input.sandboxAccountId,
      connected_at: input.now,
      connected_by_user_id: input.connectedByUserId,
      retired_at: null,
    }
    return trx
      .insertInto('provider_connection')
      .values({
        organization_id: input.organizationId,
        provider: input.provider,
        account_fingerprint: input.fingerprint,
        ...values,
      })
      .onConflict((conflict) =>
        conflict.columns(['organization_id', 'provider', 'account_fingerprint']).doUpdateSet(values),
      )
      .returningAll()
      .executeTakeFirstOrThrow()
  })
}

/** Disconnect: every key of this organisation for the provider is deleted, current and retired. */
export async function deleteConnections(db: Db, organizationId: string, provider: Provider): Promise<number> {
  const result = await db
    .deleteFrom('provider_connection')
    .where('organization_id', '=', organizationId)
    .where('provider', '=', provider)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Every sealed connection secret, for `pnpm credentials:rotate`. */
export async function listSealedConnectionSecrets(db: Db): Promise<{ id: string; secret_ciphertext: string }[]> {
  return db.selectFrom('provider_connection').select(['id', 'secret_ciphertext']).orderBy('id').execute()
}

/** Replaces a sealed secret only if it is still the one read (a concurrent change wins). */
export async function replaceSealedConnectionSecret(
  db: Db,
  input: { id: string; from: string; to: string },
): Promise<boolean> {
  const result = await db
    .updateTable('provider_connection')
    .set({ secret_ciphertext: input.to })
    .where('id', '=', input.id)
    .where('secret_ciphertext', '=', input.from)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** The sealed secrets of every connection (current and retired) of one organisation to one provider. */
export async function listSealedSecretsOf(db: Db, organizationId: string, provider: Provider): Promise<string[]> {
  const rows = await db
    .selectFrom('provider_connection')
    .select('secret_ciphertext')
    .where('organization_id', '=', organizationId)
    .where('provider', '=', provider)
    .execute()
  return rows.map((row) => row.secret_ciphertext)
}
