import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { Executor } from './phone-number-transition-repository.ts'

const keyLifetimeMs = 24 * 60 * 60 * 1000

export function hashRequest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex')
}

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'in-progress' }
  | { kind: 'mismatch' }

/**
 * Claims an Idempotency-Key for this organisation. The primary key makes the claim atomic: of two identical
 * requests racing, one buys and the other is told the first is still running, so one key buys at most once.
 */
export async function claimIdempotencyKey(
  db: Kysely<Database>,
  input: { organizationId: string; key: string; requestHash: string; now: Date },
): Promise<IdempotencyClaim> {
  const expiredBefore = new Date(input.now.getTime() - keyLifetimeMs)
  await db
    .deleteFrom('idempotency_key')
    .where('organization_id', '=', input.organizationId)
    .where('key', '=', input.key)
    .where('created_at', '<', expiredBefore)
    .execute()
  const inserted = await db
    .insertInto('idempotency_key')
    .values({
      organization_id: input.organizationId,
      key: input.key,
      request_hash: input.requestHash,
      response_status: null,
      response_body: null,
      created_at: input.now,
    })
    .onConflict((conflict) => conflict.columns(['organization_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst()
  if (inserted) return { kind: 'claimed' }

  const existing = await db
    .selectFrom('idempotency_key')
    .selectAll()
    .where('organization_id', '=', input.organizationId)
    .where('key', '=', input.key)
    .executeTakeFirst()
  if (!existing) return { kind: 'in-progress' }
  if (existing.request_hash !== input.requestHash) return { kind: 'mismatch' }
  if (existing.response_status === null) return { kind: 'in-progress' }
  return { kind: 'replay', status: existing.response_status, body: existing.response_body }
}

export async function completeIdempotencyKey(
  executor: Executor,
  input: { organizationId: string; key: string; status: number; body: unknown },
): Promise<void> {
  await executor
    .updateTable('idempotency_key')
    .set({ response_status: input.status, response_body: JSON.stringify(input.body) })
    .where('organization_id', '=', input.organizationId)
    .where('key', '=', input.key)
    .execute()
}

/** A request that bought nothing gives its key back, so the owner can simply try again. */
export async function releaseIdempotencyKey(db: Kysely<Database>, input: { organizationId: string; key: string }) {
  await db
    .deleteFrom('idempotency_key')
    .where('organization_id', '=', input.organizationId)
    .where('key', '=', input.key)
    .where('response_status', 'is', null)
    .execute()
}

export async function deleteExpiredIdempotencyKeys(db: Kysely<Database>, now: Date): Promise<void> {
  await db
    .deleteFrom('idempotency_key')
    .where('created_at', '<', new Date(now.getTime() - keyLifetimeMs))
    .execute()
}
