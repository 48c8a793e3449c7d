import type { AuditEvent } from '@dialtone/shared/audit-log'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { AuditEventRow, Database } from '../db/schema.ts'
import { withoutSecrets, type AuditActor } from './audit-actor.ts'

type Executor = Kysely<Database> | Transaction<Database>

export interface AuditEventInput {
  organizationId: string
  actor: AuditActor
  /** dotted, noun first: `phone-number.purchase`, `member.remove`, `connection.update` */
  action: string
  target: { type: string; id?: string | null; label?: string | null }
  /** What changed; keys naming secrets are redacted before they are stored. */
  details?: Record<string, unknown>
}

/**
 * Records one thing someone did in an organisation. Give it the transaction of the change when there is one, so
 * the change and its record commit together; otherwise call it after the change succeeded.
 */
export async function recordAuditEvent(db: Executor, event: AuditEventInput): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      organization_id: event.organizationId,
      actor_type: event.actor.type,
      actor_id: event.actor.id,
      actor_label: event.actor.label.slice(0, 300),
      action: event.action,
      target_type: event.target.type,
      target_id: event.target.id ?? null,
      target_label: event.target.label?.slice(0, 300) ?? null,
      details: JSON.stringify(withoutSecrets(event.details ?? {})),
      client_address: event.actor.clientAddress,
    })
    .execute()
}

export function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: String(row.id),
    organizationId: row.organization_id,
    at: new Date(row.at).toISOString(),
    actor: { type: row.actor_type, id: row.actor_id, label: row.actor_label },
    action: row.action,
    target: { type: row.target_type, id: row.target_id, label: row.target_label },
    details: row.details,
    clientAddress: row.client_address,
  }
}

export interface AuditFilter {
  /** null: every organisation (platform admins). */
  organizationId: string | null
  action?: string | undefined
  actor?: string | undefined
  target?: string | undefined
  since?: Date | undefined
  until?: Date | undefined
  /** Rows with a smaller id than this (the previous page's last). */
  beforeId?: string | null
  limit: number
}

/** Newest first; one more row than asked tells whether a next page exists. */
export async function listAuditEvents(
  db: Kysely<Database>,
  filter: AuditFilter,
): Promise<{ rows: AuditEventRow[]; hasMore: boolean }> {
  let query = db
    .selectFrom('audit_event')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
  if (filter.organizationId !== null) query = query.where('organization_id', '=', filter.organizationId)
  if (filter.action) {
    const action = filter.action
    // `phone-number` finds every phone-number action; a full name finds that one.
    query = query.where((eb) => eb.or([eb('action', '=', action), eb('action', 'like', `${escapeLike(action)}.%`)]))
  }
  if (filter.actor) {
    const actor = filter.actor
    query = query.where((eb) =>
      eb.or([eb('actor_id', '=', actor), eb(sql`lower(actor_label)`, '=', actor.toLowerCase())]),
    )
  }
  if (filter.target) {
    const target = filter.target
    query = query.where((eb) =>
      eb.or([eb('target_id', '=', target), eb(sql`lower(target_label)`, '=', target.toLowerCase())]),
    )
  }
  if (filter.since) query = query.where('at', '>=', filter.since)
  if (filter.until) query = query.where('at', '<=', filter.until)
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId)
  const rows = await query.execute()
  return { rows: rows.slice(0, filter.limit), hasMore: rows.length > filter.limit }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`)
}

/** Forgets events older than the retention, a bounded batch at a time. Returns how many went. */
export async function pruneAuditEvents(
  db: Kysely<Database>,
  input: { olderThan: Date; batchSize?: number },
): Promise<number> {
  const result = await sql<{ id: string }>`
    delete from audit_event where id in (
      select id from audit_event where at < ${input.olderThan} order by id limit ${input.batchSize ?? 5_000}
    ) returning id`.execute(db)
  return result.rows.length
}
