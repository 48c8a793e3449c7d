import { sql, type Insertable, type Kysely, type Transaction, type Updateable } from 'kysely'
import type { CarrierPurchaseRow, CarrierPurchaseTable, Database } from '../db/schema.ts'
import { claimHolderIsGone } from '../processes/worker-process-repository.ts'
import type { SagaClaim } from './carrier-purchase-deps.ts'

type Executor = Kysely<Database> | Transaction<Database>

/**
 * carrier_purchase: the saga of one carrier number (decision 0014). Written before the carrier is asked, advanced by
 * whoever holds its lease (the request, the Telnyx webhook, the worker), and every step is written down beside it.
 */

export type NewCarrierPurchase = Omit<
  Insertable<CarrierPurchaseTable>,
  'id' | 'created_at' | 'updated_at' | 'next_attempt_at' | 'lease_until' | 'claimed_by'
>

/**
 * Starts a saga held by its creator for `leaseMs`; the worker looks at it once the lease has run out, or as soon as
 * the creating process has stopped beating (killed mid-request).
 */
export async function startCarrierPurchase(
  db: Executor,
  values: NewCarrierPurchase,
  at: SagaClaim,
): Promise<CarrierPurchaseRow> {
  const leaseUntil = new Date(at.now.getTime() + at.leaseMs)
  const row = await db
    .insertInto('carrier_purchase')
    .values({
      ...values,
      created_at: at.now,
      updated_at: at.now,
      lease_until: leaseUntil,
      next_attempt_at: leaseUntil,
      claimed_by: at.processId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  await recordPurchaseStep(db, { purchaseId: row.id, step: row.step, detail: 'started', at: at.now })
  return row
}

export async function recordPurchaseStep(
  db: Executor,
  input: { purchaseId: string; step: string; detail: string | null; at: Date },
): Promise<void> {
  await db
    .insertInto('carrier_purchase_step')
    .values({
      purchase_id: input.purchaseId,
      step: input.step,
      detail: input.detail?.slice(0, 1_000) ?? null,
      at: input.at,
    })
    .execute()
}

export type PurchaseChange = Updateable<
  Omit<CarrierPurchaseTable, 'id' | 'organization_id' | 'created_at' | 'updated_at'>
>

/** Changes the saga and writes the step down, in one transaction when given one. */
export async function changeCarrierPurchase(
  db: Executor,
  id: string,
  change: PurchaseChange,
  step: { detail: string | null; at: Date },
): Promise<CarrierPurchaseRow> {
  const row = await db
    .updateTable('carrier_purchase')
    .set({ ...change, updated_at: step.at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  await recordPurchaseStep(db, { purchaseId: id, step: row.step, detail: step.detail, at: step.at })
  return row
}

/**
 * Takes the saga for `leaseMs` unless someone else holds it; undefined when they do or it has settled. A holder
 * that stopped beating holds nothing: its saga is taken at once.
 */
export async function claimCarrierPurchase(
  db: Executor,
  id: string,
  at: SagaClaim,
): Promise<CarrierPurchaseRow | undefined> {
  return db
    .updateTable('carrier_purchase')
    .set({ lease_until: new Date(at.now.getTime() + at.leaseMs), claimed_by: at.processId ?? null })
    .where('id', '=', id)
    .where('settled_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('lease_until', 'is', null),
        eb('lease_until', '<=', at.now),
        claimHolderIsGone(sql.ref('carrier_purchase.claimed_by')),
      ]),
    )
    .returningAll()
    .executeTakeFirst()
}

/**
 * Sagas due for the worker, claimed in one statement (SKIP LOCKED: several processes share the work): those whose
 * time has come and whose lease ran out, and those held by a process that stopped beating (killed mid-step), at
 * once. A live holder keeps its saga however long its step takes, up to the lease.
 */
export async function claimDueCarrierPurchases(
  db: Kysely<Database>,
  at: SagaClaim & { limit: number },
): Promise<CarrierPurchaseRow[]> {
  const result = await sql<CarrierPurchaseRow>`
    with due as materialized (
      select id from carrier_purchase
      where next_attempt_at is not null and settled_at is null
        and ((next_attempt_at <= ${at.now} and (lease_until is null or lease_until <= ${at.now}))
          or ${claimHolderIsGone(sql.ref('carrier_purchase.claimed_by'))})
      order by next_attempt_at
      limit ${at.limit}
      for update skip locked
    )
    update carrier_purchase set lease_until = ${new Date(at.now.getTime() + at.leaseMs)},
      claimed_by = ${at.processId ?? null}
    from due where carrier_purchase.id = due.id
    returning carrier_purchase.*`.execute(db)
  return result.rows
}

/** Gives the lease back and says when the worker should look next (null: only when something tells it). */
export async function releaseCarrierPurchaseLease(db: Executor, id: string, nextAttemptAt: Date | null): Promise<void> {
  await db
    .updateTable('carrier_purchase')
    .set({ lease_until: null, claimed_by: null, next_attempt_at: nextAttemptAt })
    .where('id', '=', id)
    .where('settled_at', 'is', null)
    .execute()
}

/** A webhook's news: the saga is due now (the worker picks it up if the webhook's own attempt does not finish). */
export async function makeCarrierPurchaseDue(db: Executor, id: string, now: Date): Promise<void> {
  await db
    .updateTable('carrier_purchase')
    .set({ next_attempt_at: now })
    .where('id', '=', id)
    .where('settled_at', 'is', null)
    .execute()
}

export async function findCarrierPurchase(db: Executor, id: string) {
  return db.selectFrom('carrier_purchase').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findCarrierPurchaseByOrder(db: Executor, carrier: 'twilio' | 'telnyx', orderId: string) {
  return db
    .selectFrom('carrier_purchase')
    .selectAll()
    .where('carrier', '=', carrier)
    .where('carrier_order_id', '=', orderId)
    .executeTakeFirst()
}

/** The saga that made a number's card (the newest, if a number was imported again after a failure). */
export async function findCarrierPurchaseOfPhoneNumber(db: Executor, phoneNumberId: string) {
  return db
    .selectFrom('carrier_purchase')
    .selectAll()
    .where('phone_number_id', '=', phoneNumberId)
    .orderBy('created_at', 'desc')
    .executeTakeFirst()
}

export async function listCarrierPurchaseSteps(db: Executor, purchaseId: string) {
  return db
    .selectFrom('carrier_purchase_step')
    .select(['step', 'detail', 'at'])
    .where('purchase_id', '=', purchaseId)
    .orderBy('id')
    .execute()
}

/** Unsettled sagas of an organisation for these numbers: a second purchase of one is refused while one runs. */
export async function findUnsettledPurchasesOf(db: Executor, organizationId: string, numbers: readonly string[]) {
  if (numbers.length === 0) return []
  return db
    .selectFrom('carrier_purchase')
    .select(['id', 'number', 'step'])
    .where('organization_id', '=', organizationId)
    .where('number', 'in', numbers)
    .where('settled_at', 'is', null)
    .execute()
}

export async function findVapiCarrierCredential(
  db: Executor,
  key: { organizationId: string; vapiAccount: string; carrier: string; carrierAccount: string },
): Promise<string | undefined> {
  const row = await db
    .selectFrom('vapi_carrier_credential')
    .select('credential_id')
    .where('organization_id', '=', key.organizationId)
    .where('vapi_account', '=', key.vapiAccount)
    .where('carrier', '=', key.carrier)
    .where('carrier_account', '=', key.carrierAccount)
    .executeTakeFirst()
  return row?.credential_id
}

/** Remembers a credential; if another process made one at the same moment, the first stored wins and is answered. */
export async function storeVapiCarrierCredential(
  db: Executor,
  key: { organizationId: string; vapiAccount: string; carrier: string; carrierAccount: string; credentialId: string },
): Promise<string> {
  await db
    .insertInto('vapi_carrier_credential')
    .values({
      organization_id: key.organizationId,
      vapi_account: key.vapiAccount,
      carrier: key.carrier,
      carrier_account: key.carrierAccount,
      credential_id: key.credentialId,
    })
    .onConflict((conflict) =>
      conflict.columns(['organization_id', 'vapi_account', 'carrier', 'carrier_account']).doNothing(),
    )
    .execute()
  return (await findVapiCarrierCredential(db, key)) ?? key.credentialId
}

/** Records a carrier webhook once; false when this event id was seen before (a retry or a duplicate). */
export async function recordCarrierWebhookEvent(
  db: Executor,
  event: {
    eventId: string
    carrier: string
    eventType: string
    orderId: string | null
    outcome: string
    payload: string
    at: Date
  },
): Promise<boolean> {
  const inserted = await db
    .insertInto('carrier_webhook_event')
    .values({
      event_id: event.eventId,
      carrier: event.carrier,
      event_type: event.eventType,
      order_id: event.orderId,
      outcome: event.outcome,
      payload: event.payload,
      received_at: event.at,
    })
    .onConflict((conflict) => conflict.column('event_id').doNothing())
    .returning('event_id')
    .executeTakeFirst()
  return inserted !== undefined
}

export async function deleteOldCarrierWebhookEvents(db: Executor, before: Date): Promise<void> {
  await db.deleteFrom('carrier_webhook_event').where('received_at', '<', before).execute()
}
