import { sql, type Kysely, type Transaction } from 'kysely'
import type { CallEventRow, CallEventSettingRow, Database } from '../db/schema.ts'
import { claimHolderIsGone } from '../processes/worker-process-repository.ts'

type Db = Kysely<Database> | Transaction<Database>

export async function findCallEventSetting(db: Db, organizationId: string): Promise<CallEventSettingRow | undefined> {
  return db
    .selectFrom('call_event_setting')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .executeTakeFirst()
}

export async function saveCallEventSetting(
  db: Db,
  row: Omit<CallEventSettingRow, 'updated_at'> & { updated_at: Date },
): Promise<CallEventSettingRow> {
  const { organization_id: _organizationId, ...changes } = row
  return db
    .insertInto('call_event_setting')
    .values(row)
    .onConflict((oc) => oc.column('organization_id').doUpdateSet(changes))
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The organisation's numbers Vapi holds and routes calls for (not released). */
export async function listRoutableNumbers(db: Db, organizationId: string) {
  return db
    .selectFrom('phone_number')
    .leftJoin('call_event_route', 'call_event_route.phone_number_id', 'phone_number.id')
    .select([
      'phone_number.id',
      'phone_number.organization_id',
      'phone_number.vapi_phone_number_id',
      'phone_number.vapi_account',
      'call_event_route.phone_number_id as routed_id',
    ])
    .where('phone_number.organization_id', '=', organizationId)
    .where('phone_number.status', 'in', ['pending', 'active'])
    .where('phone_number.vapi_phone_number_id', 'is not', null)
    .orderBy('phone_number.created_at')
    .execute()
}

/**
 * Numbers of organisations that turned call events on, held at Vapi and not routed yet: bought or imported after
 * the settings were saved. The worker routes them, a few at a time.
 */
export async function listUnroutedNumbersOfEnabledOrganizations(db: Db, limit: number) {
  return db
    .selectFrom('phone_number')
    .innerJoin('call_event_setting', 'call_event_setting.organization_id', 'phone_number.organization_id')
    .leftJoin('call_event_route', 'call_event_route.phone_number_id', 'phone_number.id')
    .select([
      'phone_number.id',
      'phone_number.organization_id',
      'phone_number.vapi_phone_number_id',
      'phone_number.vapi_account',
      'call_event_route.phone_number_id as routed_id',
    ])
    .where('call_event_setting.is_enabled', '=', true)
    .where('call_event_route.phone_number_id', 'is', null)
    .where('phone_number.status', 'in', ['pending', 'active'])
    .where('phone_number.vapi_phone_number_id', 'is not', null)
    .orderBy('phone_number.created_at')
    .limit(limit)
    .execute()
}

export async function insertCallEventRoute(
  db: Db,
  row: { phoneNumberId: string; organizationId: string; previousServerCiphertext: string | null; now: Date },
): Promise<void> {
  await db
    .insertInto('call_event_route')
    .values({
      phone_number_id: row.phoneNumberId,
      organization_id: row.organizationId,
      previous_server_ciphertext: row.previousServerCiphertext,
      routed_at: row.now,
    })
    .onConflict((oc) => oc.column('phone_number_id').doNothing())
    .execute()
}

export async function listCallEventRoutes(db: Db, organizationId: string) {
  return db
    .selectFrom('call_event_route')
    .innerJoin('phone_number', 'phone_number.id', 'call_event_route.phone_number_id')
    .select([
      'call_event_route.phone_number_id',
      'call_event_route.previous_server_ciphertext',
      'phone_number.vapi_phone_number_id',
      'phone_number.vapi_account',
      'phone_number.status',
    ])
    .where('call_event_route.organization_id', '=', organizationId)
    .execute()
}

export async function deleteCallEventRoute(db: Db, phoneNumberId: string): Promise<void> {
  await db.deleteFrom('call_event_route').where('phone_number_id', '=', phoneNumberId).execute()
}

export async function countCallEventRoutes(db: Db, organizationId: string): Promise<number> {
  const row = await db
    .selectFrom('call_event_route')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('organization_id', '=', organizationId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Sealed secrets for `pnpm credentials:rotate`: forwarding credentials and remembered server settings. */
export async function listSealedCallEventSecrets(db: Db) {
  const settings = await db
    .selectFrom('call_event_setting')
    .select(['organization_id as id', 'forward_secret_ciphertext as sealed'])
    .where('forward_secret_ciphertext', 'is not', null)
    .execute()
  const routes = await db
    .selectFrom('call_event_route')
    .select(['phone_number_id as id', 'previous_server_ciphertext as sealed'])
    .where('previous_server_ciphertext', 'is not', null)
    .execute()
  return { settings, routes }
}

/** Replaces one sealed value only if it is still the one read (rotation may run beside servers). */
export async function replaceSealedCallEventSecret(
  db: Db,
  input: { table: 'setting' | 'route'; id: string; from: string; to: string },
): Promise<void> {
  if (input.table === 'setting') {
    await db
      .updateTable('call_event_setting')
      .set({ forward_secret_ciphertext: input.to })
      .where('organization_id', '=', input.id)
      .where('forward_secret_ciphertext', '=', input.from)
      .execute()
  } else {
    await db
      .updateTable('call_event_route')
      .set({ previous_server_ciphertext: input.to })
      .where('phone_number_id', '=', input.id)
      .where('previous_server_ciphertext', '=', input.from)
      .execute()
  }
}

export interface NewCallEvent {
  organizationId: string
  phoneNumberId: string | null
  callId: string | null
  messageType: string
  messageKey: string
  orderKey: string
  occurredAt: Date | null
  receivedAt: Date
  payload: string
  forwardBody: string | null
  relay: CallEventRow['relay']
  latencyMs?: number | null
  lastStatus?: number | null
  lastError?: string | null
}

/** Stores a message once: null when its key was already stored (a repeat changes nothing). */
export async function insertCallEvent(db: Db, event: NewCallEvent): Promise<string | null> {
  const row = await db
    .insertInto('call_event')
    .values({
      organization_id: event.organizationId,
      phone_number_id: event.phoneNumberId,
      call_id: event.callId,
      message_type: event.messageType,
      message_key: event.messageKey,
      order_key: event.orderKey,
      occurred_at: event.occurredAt,
      received_at: event.receivedAt,
      payload: event.payload,
      forward_body: event.forwardBody,
      relay: event.relay,
      next_attempt_at: event.relay === 'queued' ? event.receivedAt : null,
      latency_ms: event.latencyMs ?? null,
      last_status: event.lastStatus ?? null,
      last_error: event.lastError ?? null,
      forwarded_at: event.relay === 'answered' ? event.receivedAt : null,
    })
    .onConflict((oc) => oc.column('message_key').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

export async function findCallEventByKey(db: Db, messageKey: string): Promise<CallEventRow | undefined> {
  return db.selectFrom('call_event').selectAll().where('message_key', '=', messageKey).executeTakeFirst()
}

export interface ClaimedCallEvent {
  id: string
  organization_id: string
  message_type: string
  forward_body: string | null
  attempt_count: number
  claim_count: number
  is_enabled: boolean | null
  forward_url: string | null
  forward_auth_type: 'bearer' | 'secret' | 'hmac' | null
  forward_secret_ciphertext: string | null
}

/**
 * Claims due messages, each the oldest still queued of its call (so a call's messages leave in order, one at a
 * time): bumps claim_count and pushes next_attempt_at past the lease, so no other worker takes it meanwhile.
 * A message claimed by a process that stopped beating (killed mid-forward) is due again at once.
 */
export async function claimDueCallEvents(
  db: Kysely<Database>,
  input: { now: Date; batchSize: number; leaseMs: number; processId?: string },
): Promise<ClaimedCallEvent[]> {
  const leaseUntil = new Date(input.now.getTime() + input.leaseMs)
  const result = await sql<ClaimedCallEvent>`
    with due as (
      select e.id from call_event e
      where e.relay = 'queued'
        and (e.next_attempt_at <= ${input.now} or ${claimHolderIsGone(sql.ref('e.claimed_by'))})
        and not exists (
          select 1 from call_event earlier
          where earlier.order_key = e.order_key and earlier.relay = 'queued' and earlier.id < e.id)
      order by e.next_attempt_at, e.id
      limit ${input.batchSize}
      for update skip locked
    ), claimed as (
      update call_event set claim_count = call_event.claim_count + 1, next_attempt_at = ${leaseUntil},
        claimed_by = ${input.processId ?? null}
      from due where call_event.id = due.id
      returning call_event.id, call_event.organization_id, call_event.message_type, call_event.forward_body,
        call_event.attempt_count, call_event.claim_count
    )
    select claimed.*, s.is_enabled, s.forward_url, s.forward_auth_type, s.forward_secret_ciphertext
    from claimed left join call_event_setting s on s.organization_id = claimed.organization_id
    order by claimed.id`.execute(db)
  return result.rows.map((row) => ({ ...row, id: String(row.id) }))
}

/** Records one forwarding attempt, only if the claim is still this worker's (claim_count unchanged). */
export async function recordForwardAttempt(
  db: Kysely<Database>,
  claim: Pick<ClaimedCallEvent, 'id' | 'claim_count'>,
  outcome: {
    relay: 'queued' | 'sent' | 'failed' | 'cancelled'
    attemptedAt: Date
    status: number | null
    error: string | null
    latencyMs: number
    nextAttemptAt: Date | null
    countsAsAttempt: boolean
  },
): Promise<boolean> {
  const result = await db
    .updateTable('call_event')
    .set((eb) => ({
      relay: outcome.relay,
      attempt_count: outcome.countsAsAttempt ? eb('attempt_count', '+', 1) : eb.ref('attempt_count'),
      next_attempt_at: outcome.nextAttemptAt,
      last_status: outcome.status,
      last_error: outcome.error,
      latency_ms: outcome.latencyMs,
      forwarded_at: outcome.relay === 'sent' ? outcome.attemptedAt : null,
      claimed_by: null,
      // Once it reached the organisation's server the original (transcripts and all) is not kept.
      ...(outcome.relay === 'sent' || outcome.relay === 'cancelled' ? { forward_body: null } : {}),
    }))
    .where('id', '=', claim.id)
    .where('claim_count', '=', claim.claim_count)
    .where('relay', '=', 'queued')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function nextDueCallEventAt(db: Kysely<Database>): Promise<Date | null> {
  const row = await db
    .selectFrom('call_event')
    .select((eb) => eb.fn.min('next_attempt_at').as('due'))
    .where('relay', '=', 'queued')
    .executeTakeFirst()
  const due = row?.due
  return due ? new Date(due) : null
}

/** Finished messages older than `before` leave the table; queued ones never do. */
export async function deleteOldCallEvents(db: Kysely<Database>, before: Date): Promise<void> {
  await db.deleteFrom('call_event').where('relay', '!=', 'queued').where('received_at', '<', before).execute()
}

/** A number of ours by Vapi's id, with its organisation's relay setting (null: none), in one round trip. */
export async function findNumberForCall(db: Db, vapiPhoneNumberId: string) {
  const row = await db
    .selectFrom('phone_number')
    .leftJoin('call_event_setting', 'call_event_setting.organization_id', 'phone_number.organization_id')
    .select([
      'phone_number.id',
      'phone_number.organization_id',
      'phone_number.status',
      'call_event_setting.is_enabled',
      'call_event_setting.forward_url',
      'call_event_setting.forward_auth_type',
      'call_event_setting.forward_secret_ciphertext',
      'call_event_setting.forward_secret_hint',
      'call_event_setting.fallback_assistant_id',
      'call_event_setting.keeps_transcripts',
      'call_event_setting.updated_at',
    ])
    .where('phone_number.vapi_phone_number_id', '=', vapiPhoneNumberId)
    .orderBy('phone_number.created_at', 'desc')
    .executeTakeFirst()
  if (!row) return undefined
  const { id, organization_id, status, is_enabled, updated_at, keeps_transcripts, ...setting } = row
  return {
    id,
    organization_id,
    status,
    setting:
      is_enabled === null || updated_at === null || keeps_transcripts === null
        ? undefined
        : { ...setting, organization_id, is_enabled, keeps_transcripts, updated_at },
  }
}
