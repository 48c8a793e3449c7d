import { sql, type Kysely } from 'kysely'
import { claimHolderIsGone } from '../processes/worker-process-repository.ts'
import type {
  Database,
  OutboundWebhookAttemptRow,
  OutboundWebhookDeliveryRow,
  PhoneNumberRow,
  WebhookEndpointRow,
} from '../db/schema.ts'

type Db = Kysely<Database>

export async function insertWebhookEndpoint(
  db: Db,
  input: { organizationId: string; url: string; events: string[]; secretCiphertext: string; now: Date },
): Promise<WebhookEndpointRow> {
  return db
    .insertInto('webhook_endpoint')
    .values({
      organization_id: input.organizationId,
      url: input.url,
      events: JSON.stringify(input.events),
      secret_ciphertext: input.secretCiphertext,
      created_at: input.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function countWebhookEndpoints(db: Db, organizationId: string) {
  return db
    .selectFrom('webhook_endpoint')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('organization_id', '=', organizationId)
    .executeTakeFirstOrThrow()
    .then((row) => Number(row.count))
}

export function listWebhookEndpoints(db: Db, organizationId: string): Promise<WebhookEndpointRow[]> {
  return db
    .selectFrom('webhook_endpoint')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/** Another organisation's endpoint is not found, exactly like a missing one. */
export function findWebhookEndpoint(db: Db, organizationId: string, id: string) {
  return db
    .selectFrom('webhook_endpoint')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function deleteWebhookEndpoint(db: Db, organizationId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('webhook_endpoint')
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(result.numDeletedRows) === 1
}

/** The current secret becomes the previous one, still used to sign until `previousExpiresAt`. */
export function rotateWebhookEndpointSecret(
  db: Db,
  input: { organizationId: string; id: string; secretCiphertext: string; previousExpiresAt: Date },
) {
  return db
    .updateTable('webhook_endpoint')
    .set((eb) => ({
      previous_secret_ciphertext: eb.ref('secret_ciphertext'),
      previous_secret_expires_at: input.previousExpiresAt,
      secret_ciphertext: input.secretCiphertext,
    }))
    .where('organization_id', '=', input.organizationId)
    .where('id', '=', input.id)
    .returningAll()
    .executeTakeFirst()
}

export interface DeliveryWithAttempts {
  delivery: OutboundWebhookDeliveryRow
  attempts: OutboundWebhookAttemptRow[]
}

/** Deliveries of an endpoint, newest first, or one delivery, each with its attempts in order. */
export async function listDeliveriesWithAttempts(
  db: Db,
  filter: { endpointId: string; limit: number } | { deliveryId: string },
): Promise<DeliveryWithAttempts[]> {
  const deliveries = await db
    .selectFrom('outbound_webhook_delivery')
    .selectAll()
    .$call((query) =>
      'deliveryId' in filter
        ? query.where('id', '=', filter.deliveryId)
        : query.where('endpoint_id', '=', filter.endpointId).limit(filter.limit),
    )
    .orderBy('created_at', 'desc')
    .orderBy('occurred_at', 'desc')
    .orderBy('id')
    .execute()
  if (deliveries.length === 0) return []
  const attempts = await db
    .selectFrom('outbound_webhook_attempt')
    .selectAll()
    .where(
      'delivery_id',
      'in',
      deliveries.map((delivery) => delivery.id),
    )
    .orderBy('attempted_at')
    .orderBy('id')
    .execute()
  return deliveries.map((delivery) => ({
    delivery,
    attempts: attempts.filter((attempt) => attempt.delivery_id === delivery.id),
  }))
}

export function findDeliveryOfOrganization(db: Db, organizationId: string, deliveryId: string) {
  return db
    .selectFrom('outbound_webhook_delivery')
    .innerJoin('webhook_endpoint', 'webhook_endpoint.id', 'outbound_webhook_delivery.endpoint_id')
    .selectAll('outbound_webhook_delivery')
    .where('webhook_endpoint.organization_id', '=', organizationId)
    .where('outbound_webhook_delivery.id', '=', deliveryId)
    .executeTakeFirst()
}

/**
 * "Send again" and "recover": the deliveries go back in the queue for one more attempt each (not the whole
 * schedule again), and an endpoint disabled for failing is turned back on, since its owner asked to send to it.
 */
export async function requeueDeliveries(
  db: Db,
  input: { endpointId: string; now: Date } & ({ deliveryId: string } | { failedSince: Date }),
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let update = trx
      .updateTable('outbound_webhook_delivery')
      .set((eb) => ({
        status: 'pending',
        next_attempt_at: input.now,
        attempts_allowed: eb('attempt_count', '+', 1),
      }))
      .where('endpoint_id', '=', input.endpointId)
    update =
      'deliveryId' in input
        ? update.where('id', '=', input.deliveryId)
        : update.where('status', '=', 'failed').where('created_at', '>=', input.failedSince)
    const result = await update.executeTakeFirst()
    await trx
      .updateTable('webhook_endpoint')
      .set({ disabled_at: null, disabled_reason: null, failing_since: null })
      .where('id', '=', input.endpointId)
      .where('disabled_at', 'is not', null)
      .execute()
    return Number(result.numUpdatedRows)
  })
}

export type ClaimedDelivery = PhoneNumberRow & {
  delivery_id: string
  endpoint_id: string
  event_type: string
  occurred_at: Date
  attempt_count: number
  attempts_allowed: number | null
  claim_count: number
  endpoint_url: string
  secret_ciphertext: string
  previous_secret_ciphertext: string | null
  previous_secret_expires_at: Date | null
}

/**
 * Claims due deliveries of enabled endpoints and moves them a lease into the future, in one statement.
 * SKIP LOCKED lets several workers claim at once without waiting for or sharing a row; the due rows come from a
 * MATERIALIZED CTE for the reason poll-pending-numbers.ts gives. claim_count is the claim's token: only the
 * holder of the latest claim may record the attempt's outcome. The number comes back as the row it was when the
 * event happened (the trigger's snapshot), typed like any phone_number row.
 */
export async function claimDueDeliveries(
  db: Db,
  input: { now: Date; batchSize: number; leaseMs: number; processId?: string },
): Promise<ClaimedDelivery[]> {
  const leaseUntil = new Date(input.now.getTime() + input.leaseMs)
  const result = await sql<ClaimedDelivery>`
    with due as materialized (
      select delivery.id from outbound_webhook_delivery delivery
      join webhook_endpoint endpoint on endpoint.id = delivery.endpoint_id
      where delivery.status = 'pending'
        and (delivery.next_attempt_at <= ${input.now} or ${claimHolderIsGone(sql.ref('delivery.claimed_by'))})
        and endpoint.disabled_at is null
      order by delivery.next_attempt_at
      limit ${input.batchSize}
      for update of delivery skip locked
    ),
    claimed as (
      update outbound_webhook_delivery set next_attempt_at = ${leaseUntil},
        claim_count = outbound_webhook_delivery.claim_count + 1, claimed_by = ${input.processId ?? null}
      from due
      where outbound_webhook_delivery.id = due.id and outbound_webhook_delivery.status = 'pending'
      returning outbound_webhook_delivery.*
    )
    select snapshot.*,
      claimed.id as delivery_id, claimed.endpoint_id, claimed.event_type, claimed.occurred_at, claimed.attempt_count,
      claimed.attempts_allowed, claimed.claim_count,
      endpoint.url as endpoint_url, endpoint.secret_ciphertext, endpoint.previous_secret_ciphertext,
      endpoint.previous_secret_expires_at
    from claimed
    join webhook_endpoint endpoint on endpoint.id = claimed.endpoint_id
    cross join lateral jsonb_populate_record(null::phone_number, claimed.phone_number_snapshot) snapshot`.execute(db)
  return result.rows
}

export interface AttemptOutcome {
  attemptedAt: Date
  responseStatus: number | null
  latencyMs: number
  responseExcerpt: string
  isSuccess: boolean
  /** Null when there is nothing more to try. */
  nextAttemptAt: Date | null
  /** This was the last attempt of the automatic schedule: disable the endpoint if it failed throughout. */
  isScheduleExhausted: boolean
}

/**
 * Writes an attempt and its consequences in one transaction: the delivery's new state (only under the claim
 * that sent it), and the endpoint's health. An endpoint that failed from before this delivery's first attempt
 * until the end of its whole retry schedule is disabled.
 */
export async function recordAttempt(db: Db, claim: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('outbound_webhook_attempt')
      .values({
        delivery_id: claim.delivery_id,
        attempted_at: outcome.attemptedAt,
        response_status: outcome.responseStatus,
        latency_ms: outcome.latencyMs,
        response_excerpt: outcome.responseExcerpt,
        is_success: outcome.isSuccess,
      })
      .execute()
    const status = outcome.isSuccess ? 'succeeded' : outcome.nextAttemptAt ? 'pending' : 'failed'
    const updated = await trx
      .updateTable('outbound_webhook_delivery')
      .set({
        status,
        attempt_count: claim.attempt_count + 1,
        next_attempt_at: outcome.nextAttemptAt,
        claimed_by: null,
      })
      .where('id', '=', claim.delivery_id)
      .where('claim_count', '=', claim.claim_count)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) return
    if (outcome.isSuccess) {
      await trx
        .updateTable('webhook_endpoint')
        .set({ failing_since: null })
        .where('id', '=', claim.endpoint_id)
        .where('failing_since', 'is not', null)
        .execute()
      return
    }
    await trx
      .updateTable('webhook_endpoint')
      .set({ failing_since: outcome.attemptedAt })
      .where('id', '=', claim.endpoint_id)
      .where('failing_since', 'is', null)
      .execute()
    if (!outcome.isScheduleExhausted) return
    await trx
      .updateTable('webhook_endpoint')
      .set({
        disabled_at: outcome.attemptedAt,
        disabled_reason:
          'Every attempt failed for the whole retry schedule, so dialtone stopped sending. Fix the receiver, then recover the failed deliveries to turn it back on.',
      })
      .where('id', '=', claim.endpoint_id)
      .where('disabled_at', 'is', null)
      .where((eb) =>
        eb(
          'failing_since',
          '<=',
          eb
            .selectFrom('outbound_webhook_attempt')
            .select((inner) => inner.fn.min('attempted_at').as('first'))
            .where('delivery_id', '=', claim.delivery_id),
        ),
      )
      .execute()
  })
}

export function nextDueDeliveryAt(db: Db): Promise<Date | null> {
  return db
    .selectFrom('outbound_webhook_delivery')
    .select((eb) => eb.fn.min('next_attempt_at').as('due'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow()
    .then((row) => (row.due === null ? null : new Date(row.due)))
}

/** The delivery log keeps what an owner would look back on; older finished deliveries go. */
export async function deleteOldDeliveries(db: Db, olderThan: Date): Promise<void> {
  await db
    .deleteFrom('outbound_webhook_delivery')
    .where('created_at', '<', olderThan)
    .where('status', '!=', 'pending')
    .execute()
}

/** Every sealed signing secret (current and previous), for `pnpm credentials:rotate`. */
export async function listSealedWebhookSecrets(db: Kysely<Database>) {
  return db
    .selectFrom('webhook_endpoint')
    .select(['id', 'secret_ciphertext', 'previous_secret_ciphertext'])
    .orderBy('id')
    .execute()
}

/** Replaces one sealed secret only if it is still the one read (a rotation of the endpoint's secret wins). */
export async function replaceSealedWebhookSecret(
  db: Kysely<Database>,
  input: { id: string; column: 'secret_ciphertext' | 'previous_secret_ciphertext'; from: string; to: string },
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_endpoint')
    .set({ [input.column]: input.to })
    .where('id', '=', input.id)
    .where(input.column, '=', input.from)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
