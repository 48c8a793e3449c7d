import type { InboundMessage } from '@dialtone/shared/webhook-log'
import { sql, type Kysely } from 'kysely'
import type { Database, InboundMessageTable } from '../db/schema.ts'
import { createStatementGroup, groupPerKey } from '../lib/statement-group.ts'

/** Which of our numbers a message is about, as the sender names it. */
export interface InboundNumberReference {
  phoneNumberId?: string | null
  vapiPhoneNumberId?: string | null
  /** E.164, as carriers name numbers. */
  number?: string | null
}

export interface NewInboundMessage {
  id: string
  receivedAt: Date
  source: string
  messageType: string | null
  callId: string | null
  verification: InboundMessageTable['verification']
  verificationDetail: string | null
  outcome: string
  httpStatus: number
  handlingMs: number | null
  deliveryId: string | null
  messageId: string | null
  attemptId: string | null
  relayKey: string | null
  headers: Record<string, string>
  payload: unknown
  bodyBytes: number
  redactions: string[]
  /** Looked up in the same statement; only for verified messages (a forged one must not land in an org's log). */
  numberReference: InboundNumberReference | null
}

export interface InboundRelayReport {
  /** forwarded, pending, failed, fallback, skipped, … (the relay's own words) */
  status: string
  latencyMs?: number | null
  attempts?: number
  detail?: string | null
}

/**
 * One row per received request. The organisation and dialtone's number id are found by the INSERT itself, and
 * requests logged while an insert is running are written together by the next (one round trip and one commit for
 * all of them; statement-group.ts). Resolves once the row is committed. A released number's id may be reused by
 * nobody, but a number (E.164) may have been held by several rows over time: the newest holder that is not
 * released wins.
 */
export async function insertInboundMessage(db: Kysely<Database>, message: NewInboundMessage): Promise<void> {
  await inboundInsertsOf(db).run(message)
}

const inboundInsertsOf = groupPerKey((db: Kysely<Database>) =>
  createStatementGroup(async (messages: NewInboundMessage[]) => {
    await db
      .insertInto('inbound_message')
      .values(messages.map((message) => inboundRowOf(db, message)))
      .execute()
    return messages.map(() => undefined)
  }),
)

function inboundRowOf(db: Kysely<Database>, message: NewInboundMessage) {
  const reference = message.numberReference
  const ours = reference ? matchingNumber(db, reference) : null
  return {
    id: message.id,
    received_at: message.receivedAt,
    source: message.source,
    message_type: message.messageType?.slice(0, 200) ?? null,
    organization_id: ours ? ours.select('organization_id') : null,
    phone_number_id: ours ? ours.select('id') : null,
    vapi_phone_number_id: reference?.vapiPhoneNumberId?.slice(0, 200) ?? null,
    call_id: message.callId?.slice(0, 200) ?? null,
    verification: message.verification,
    verification_detail: message.verificationDetail,
    outcome: message.outcome,
    http_status: message.httpStatus,
    handling_ms: message.handlingMs,
    delivery_id: message.deliveryId,
    message_id: message.messageId?.slice(0, 200) ?? null,
    attempt_id: message.attemptId?.slice(0, 100) ?? null,
    relay_key: message.relayKey,
    headers: JSON.stringify(message.headers),
    payload: message.payload === undefined ? null : JSON.stringify(message.payload),
    body_bytes: message.bodyBytes,
    redactions: JSON.stringify(message.redactions.slice(0, 200)),
  }
}

function matchingNumber(db: Kysely<Database>, reference: InboundNumberReference) {
  let query = db
    .selectFrom('phone_number')
    .orderBy(sql`status = 'released'`)
    .orderBy('created_at', 'desc')
    .limit(1)
  if (reference.phoneNumberId) query = query.where('id', '=', reference.phoneNumberId)
  else if (reference.vapiPhoneNumberId) query = query.where('vapi_phone_number_id', '=', reference.vapiPhoneNumberId)
  else if (reference.number) query = query.where('number', '=', reference.number)
  else return null
  return query
}

/** The relay's report on a logged message; an upsert, so it may come before or after the row itself. */
export async function updateInboundMessageRelay(
  db: Kysely<Database>,
  inboundMessageId: string,
  report: InboundRelayReport,
): Promise<void> {
  const values = {
    status: report.status,
    latency_ms: report.latencyMs ?? null,
    attempts: report.attempts ?? 1,
    detail: report.detail?.slice(0, 500) ?? null,
    updated_at: new Date(),
  }
  await db
    .insertInto('inbound_message_relay')
    .values({ inbound_message_id: inboundMessageId, ...values })
    .onConflict((conflict) => conflict.column('inbound_message_id').doUpdateSet(values))
    .execute()
}

export interface InboundMessageFilter {
  /** null: every organisation's and the unassigned (platform admins). */
  organizationId: string | null
  type?: string | undefined
  /** An outcome, or `refused` for every message that failed verification. */
  outcome?: string | undefined
  phoneNumberId?: string | undefined
  from?: Date | undefined
  to?: Date | undefined
  /** Rows older than this seq (the previous page's last). */
  beforeSeq?: string | null
  limit: number
}

function selectInboundMessages(db: Kysely<Database>) {
  return db
    .selectFrom('inbound_message as m')
    .leftJoin('inbound_message_relay as r', 'r.inbound_message_id', 'm.id')
    .leftJoin('call_event as ce', (join) =>
      join.onRef('ce.message_key', '=', 'm.relay_key').onRef('ce.organization_id', '=', 'm.organization_id'),
    )
    .leftJoin('phone_number as p', 'p.id', 'm.phone_number_id')
    .selectAll('m')
    .select((eb) => [
      // A report written for this row wins; otherwise what the call-event relay did with the message.
      eb.fn.coalesce('r.status', 'ce.relay').as('relay_status'),
      eb.fn.coalesce('r.latency_ms', 'ce.latency_ms').as('relay_latency_ms'),
      eb.fn.coalesce('r.attempts', 'ce.attempt_count').as('relay_attempts'),
      eb.fn.coalesce('r.detail', 'ce.last_error').as('relay_detail'),
      'p.number as number',
    ])
}

export type InboundMessageListRow = Awaited<ReturnType<ReturnType<typeof selectInboundMessages>['execute']>>[number]

/** Newest first; one more row than asked tells whether a next page exists. */
export async function listInboundMessages(
  db: Kysely<Database>,
  filter: InboundMessageFilter,
): Promise<{ rows: InboundMessageListRow[]; hasMore: boolean }> {
  let query = selectInboundMessages(db)
    .orderBy('m.seq', 'desc')
    .limit(filter.limit + 1)
  if (filter.organizationId !== null) query = query.where('m.organization_id', '=', filter.organizationId)
  if (filter.type) query = query.where('m.message_type', '=', filter.type)
  if (filter.outcome === 'refused') query = query.where('m.verification', '<>', 'ok')
  else if (filter.outcome) query = query.where('m.outcome', '=', filter.outcome)
  if (filter.phoneNumberId) query = query.where('m.phone_number_id', '=', filter.phoneNumberId)
  if (filter.from) query = query.where('m.received_at', '>=', filter.from)
  if (filter.to) query = query.where('m.received_at', '<=', filter.to)
  if (filter.beforeSeq) query = query.where('m.seq', '<', filter.beforeSeq)
  const rows = await query.execute()
  return { rows: rows.slice(0, filter.limit), hasMore: rows.length > filter.limit }
}

/** One message, within an organisation (null: any, for platform admins). */
export async function findInboundMessage(
  db: Kysely<Database>,
  id: string,
  organizationId: string | null,
): Promise<InboundMessageListRow | undefined> {
  let query = selectInboundMessages(db).where('m.id', '=', id)
  if (organizationId !== null) query = query.where('m.organization_id', '=', organizationId)
  return query.executeTakeFirst()
}

/** Verified messages received since a time, oldest first: what "process again since…" replays. */
export async function listVerifiedInboundMessagesSince(
  db: Kysely<Database>,
  input: { organizationId: string | null; since: Date; limit: number },
): Promise<InboundMessageListRow[]> {
  let query = selectInboundMessages(db)
    .where('m.verification', '=', 'ok')
    .where('m.received_at', '>=', input.since)
    .where('m.payload', 'is not', null)
    .orderBy('m.seq', 'asc')
    .limit(input.limit)
  if (input.organizationId !== null) query = query.where('m.organization_id', '=', input.organizationId)
  return query.execute()
}

export async function markInboundMessageReprocessed(
  db: Kysely<Database>,
  input: { id: string; outcome: string; at: Date },
): Promise<void> {
  await db
    .updateTable('inbound_message')
    .set((eb) => ({
      reprocess_count: eb('reprocess_count', '+', 1),
      last_reprocessed_at: input.at,
      last_reprocess_outcome: input.outcome,
    }))
    .where('id', '=', input.id)
    .execute()
}

/** Forgets messages older than the retention, a bounded batch at a time (their relay reports with them). */
export async function pruneInboundMessages(
  db: Kysely<Database>,
  input: { olderThan: Date; batchSize?: number },
): Promise<number> {
  const result = await sql<{ id: string }>`
    delete from inbound_message where seq in (
      select seq from inbound_message where received_at < ${input.olderThan} order by seq limit ${input.batchSize ?? 5_000}
    ) returning id`.execute(db)
  const ids = result.rows.map((row) => row.id)
  if (ids.length > 0) await db.deleteFrom('inbound_message_relay').where('inbound_message_id', 'in', ids).execute()
  return ids.length
}

export function toInboundMessage(row: InboundMessageListRow): InboundMessage {
  return {
    id: row.id,
    receivedAt: new Date(row.received_at).toISOString(),
    source: row.source,
    type: row.message_type,
    organizationId: row.organization_id,
    phoneNumberId: row.phone_number_id,
    number: row.number,
    callId: row.call_id,
    verification: row.verification,
    verificationDetail: row.verification_detail,
    outcome: row.outcome,
    httpStatus: row.http_status,
    handlingMs: row.handling_ms === null ? null : Math.round(Number(row.handling_ms) * 10) / 10,
    relay:
      row.relay_status === null
        ? null
        : {
            status: row.relay_status,
            latencyMs: row.relay_latency_ms,
            attempts: row.relay_attempts ?? 0,
            detail: row.relay_detail,
          },
    headers: row.headers,
    payload: row.payload,
    bodyBytes: row.body_bytes,
    redactions: row.redactions,
    reprocessCount: row.reprocess_count,
    lastReprocessedAt: row.last_reprocessed_at ? new Date(row.last_reprocessed_at).toISOString() : null,
    lastReprocessOutcome: row.last_reprocess_outcome,
  }
}
