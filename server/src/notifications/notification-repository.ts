import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely'
import type { NotificationPreferences } from '@dialtone/shared/notifications'
import type { Database, NotificationEventKind, NotificationOutboxRow } from '../db/schema.ts'
import type { MailEvent } from './notification-payloads.ts'
import { claimHolderIsGone } from '../processes/worker-process-repository.ts'

type Executor = Kysely<Database> | Transaction<Database>

/** A user who never chose gets what most owners want: live, failed and stuck numbers; alerts if an admin. */
export const defaultPreferences: NotificationPreferences = {
  numberLive: true,
  numberFailed: true,
  numberStuck: true,
  numberReleased: false,
  adminAlerts: true,
}

const columnOf = {
  numberLive: 'number_live',
  numberFailed: 'number_failed',
  numberStuck: 'number_stuck',
  numberReleased: 'number_released',
  adminAlerts: 'admin_alerts',
} as const satisfies Record<keyof NotificationPreferences, string>

export const preferenceOfEvent = {
  live: 'numberLive',
  failed: 'numberFailed',
  stuck: 'numberStuck',
  released: 'numberReleased',
} as const satisfies Record<NotificationEventKind, keyof NotificationPreferences>

export async function getPreferences(db: Executor, userId: string): Promise<NotificationPreferences> {
  const row = await db
    .selectFrom('notification_preference')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst()
  if (!row) return defaultPreferences
  return {
    numberLive: row.number_live,
    numberFailed: row.number_failed,
    numberStuck: row.number_stuck,
    numberReleased: row.number_released,
    adminAlerts: row.admin_alerts,
  }
}

/** Changes the named preferences only; the rest keep their value (or default). */
export async function updatePreferences(
  db: Executor,
  userId: string,
  update: Partial<NotificationPreferences>,
  now: Date,
): Promise<NotificationPreferences> {
  const current = await getPreferences(db, userId)
  const next = { ...current, ...update }
  const values = {
    number_live: next.numberLive,
    number_failed: next.numberFailed,
    number_stuck: next.numberStuck,
    number_released: next.numberReleased,
    admin_alerts: next.adminAlerts,
    updated_at: now,
  }
  const changed = Object.fromEntries(
    Object.keys(update).map((key) => [
      columnOf[key as keyof NotificationPreferences],
      next[key as keyof NotificationPreferences],
    ]),
  )
  await db
    .insertInto('notification_preference')
    .values({ user_id: userId, ...values })
    .onConflict((conflict) => conflict.column('user_id').doUpdateSet({ ...changed, updated_at: now }))
    .execute()
  return getPreferences(db, userId)
}

/** Pending numbers older than the stuck threshold get one "stuck" event each (the unique index keeps it one). */
export async function queueStuckEvents(db: Executor, input: { now: Date; stuckAfterMs: number }): Promise<number> {
  const cutoff = new Date(input.now.getTime() - input.stuckAfterMs)
  const result = await sql`
    insert into notification_event (phone_number_id, kind, at)
    select phone.id, 'stuck', ${input.now}::timestamptz from phone_number as phone
    where phone.status = 'pending' and phone.created_at < ${cutoff}
      and not exists (select 1 from notification_event as event where event.phone_number_id = phone.id and event.kind = 'stuck')
    on conflict (phone_number_id) where kind = 'stuck' do nothing`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

export interface ClaimedEvent extends MailEvent {
  eventId: string
  organizationId: string
}

/** The oldest events nobody has fanned out yet, locked for this transaction; other processes skip them. */
export async function claimUnprocessedEvents(trx: Transaction<Database>, limit: number): Promise<ClaimedEvent[]> {
  const rows = await trx
    .selectFrom('notification_event as event')
    .innerJoin('phone_number as phone', 'phone.id', 'event.phone_number_id')
    .select([
      'event.id as eventId',
      'event.kind',
      'event.at',
      'phone.id as phoneNumberId',
      'phone.organization_id as organizationId',
      'phone.number',
      'phone.name',
      'phone.area_code as areaCode',
      'phone.failure_code as failureCode',
      'phone.failure_reason as failureReason',
    ])
    .where('event.processed_at', 'is', null)
    .orderBy('event.id')
    .limit(limit)
    .forUpdate('event')
    .skipLocked()
    .execute()
  return rows.map((row) => ({ ...row, at: new Date(row.at).toISOString() }))
}

export async function markEventsProcessed(trx: Executor, eventIds: string[], now: Date): Promise<void> {
  if (eventIds.length === 0) return
  await trx.updateTable('notification_event').set({ processed_at: now }).where('id', 'in', eventIds).execute()
}

export interface Recipient {
  userId: string
  email: string
}

/** Members of the organisation who want this kind of event by email. */
export async function findEventRecipients(
  db: Executor,
  organizationId: string,
  preference: keyof NotificationPreferences,
): Promise<Recipient[]> {
  const column = sql.ref(`preference.${columnOf[preference]}`)
  return db
    .selectFrom('member')
    .innerJoin('user', 'user.id', 'member.userId')
    .leftJoin('notification_preference as preference', 'preference.user_id', 'user.id')
    .select(['user.id as userId', 'user.email'])
    .where('member.organizationId', '=', organizationId)
    .where(sql<boolean>`coalesce(${column}, ${defaultPreferences[preference]})`)
    .where(sql<boolean>`"user".banned is not true`)
    .distinct()
    .execute()
}

/** Platform admins who want alerts by email. */
export async function findAlertRecipients(db: Executor): Promise<Recipient[]> {
  return db
    .selectFrom('user')
    .leftJoin('notification_preference as preference', 'preference.user_id', 'user.id')
    .select(['user.id as userId', 'user.email'])
    .where('user.role', '=', 'admin')
    .where(sql<boolean>`coalesce(preference.admin_alerts, true)`)
    .where(sql<boolean>`"user".banned is not true`)
    .execute()
}

/**
 * Adds an event to the recipient's mail that is still waiting for its fold window, or queues a new mail that
 * waits foldWindowMs for more. A mail already being sent (or retried) is never changed.
 */
export async function queueEventMail(
  trx: Executor,
  input: { recipient: Recipient; event: MailEvent; now: Date; foldWindowMs: number },
): Promise<'folded' | 'queued'> {
  const { recipient, event, now } = input
  const folded = await sql<{ id: string }>`
    update notification_outbox set payload = jsonb_set(payload, '{events}', (payload -> 'events') || ${JSON.stringify([event])}::jsonb)
    where id = (
      select id from notification_outbox
      where user_id = ${recipient.userId} and topic = 'phone-numbers' and channel = 'email'
        and status = 'queued' and attempts = 0 and next_attempt_at > ${now}
      order by created_at desc limit 1
      for update skip locked
    )
    returning id`.execute(trx)
  if (folded.rows.length > 0) return 'folded'
  await trx
    .insertInto('notification_outbox')
    .values({
      channel: 'email',
      topic: 'phone-numbers',
      recipient: recipient.email,
      user_id: recipient.userId,
      payload: JSON.stringify({ events: [event] }),
      next_attempt_at: new Date(now.getTime() + input.foldWindowMs),
      created_at: now,
    })
    .execute()
  return 'queued'
}

/**
 * Claims due outbox rows for this process: status 'sending' and next_attempt_at pushed out by the lease, so a
 * process that dies mid-send leaves a row that becomes due again when the lease runs out. SKIP LOCKED lets
 * several processes claim side by side without ever taking the same row.
 */
export async function claimDueOutbox(
  db: Executor,
  input: { now: Date; leaseMs: number; limit: number; processId?: string },
): Promise<NotificationOutboxRow[]> {
  const leaseEnd = new Date(input.now.getTime() + input.leaseMs)
  const result = await sql<NotificationOutboxRow>`
    update notification_outbox
    set status = 'sending', attempts = attempts + 1, locked_until = ${leaseEnd}, next_attempt_at = ${leaseEnd},
      claimed_by = ${input.processId ?? null}
    where id in (
      select id from notification_outbox
      where status in ('queued', 'sending')
        and (next_attempt_at <= ${input.now} or ${claimHolderIsGone(sql.ref('claimed_by'))})
      order by next_attempt_at
      limit ${input.limit}
      for update skip locked
    )
    returning *`.execute(db)
  return result.rows
}

/** Records a delivery; only the claim that is still current may (a claim whose lease ran out was taken over). */
export async function markOutboxSent(
  db: Executor,
  row: NotificationOutboxRow,
  input: {
    now: Date
    via: 'smtp' | 'mailbox' | 'http'
    subject: string | null
    text: string | null
    html: string | null
  },
): Promise<void> {
  await db
    .updateTable('notification_outbox')
    .set({
      status: 'sent',
      sent_at: input.now,
      delivered_via: input.via,
      subject: input.subject,
      text_body: input.text,
      html_body: input.html,
      locked_until: null,
      last_error: null,
      claimed_by: null,
    })
    .where('id', '=', row.id)
    .where('attempts', '=', row.attempts)
    .execute()
}

/** A failed attempt: due again after the next delay, or given up (status failed) when none is left. */
export async function markOutboxAttemptFailed(
  db: Executor,
  row: NotificationOutboxRow,
  input: {
    now: Date
    error: string
    retryAt: Date | null
    rendered: { subject: string; text: string; html: string } | null
  },
): Promise<void> {
  await db
    .updateTable('notification_outbox')
    .set({
      status: input.retryAt ? 'queued' : 'failed',
      next_attempt_at: input.retryAt ?? input.now,
      locked_until: null,
      claimed_by: null,
      last_error: input.error.slice(0, 500),
      ...(input.rendered
        ? { subject: input.rendered.subject, text_body: input.rendered.text, html_body: input.rendered.html }
        : {}),
    })
    .where('id', '=', row.id)
    .where('attempts', '=', row.attempts)
    .execute()
}

export async function queueAlertDeliveries(
  trx: Executor,
  input: { recipients: Recipient[]; webhookUrl: string | null; payload: string; now: Date },
): Promise<void> {
  const rows = [
    ...input.recipients.map((recipient) => ({
      channel: 'email' as const,
      recipient: recipient.email,
      user_id: recipient.userId,
    })),
    ...(input.webhookUrl ? [{ channel: 'webhook' as const, recipient: input.webhookUrl, user_id: null }] : []),
  ]
  if (rows.length === 0) return
  await trx
    .insertInto('notification_outbox')
    .values(
      rows.map((row) => ({
        ...row,
        topic: 'admin-alert' as const,
        payload: input.payload,
        next_attempt_at: input.now,
        created_at: input.now,
      })),
    )
    .execute()
}

/**
 * A user's mail: what was queued for them, and invitations sent to their address before they had an account
 * (`email`), so an invited person who signs up finds their invitation in the sandbox mailbox.
 */
export async function listMailOfUser(
  db: Executor,
  userId: string,
  limit = 100,
  email?: string,
): Promise<NotificationOutboxRow[]> {
  return db
    .selectFrom('notification_outbox')
    .selectAll()
    .where((eb) => ownedBy(eb, userId, email))
    .where('channel', '=', 'email')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute()
}

export async function findMailOfUser(
  db: Executor,
  userId: string,
  id: string,
  email?: string,
): Promise<NotificationOutboxRow | undefined> {
  return db
    .selectFrom('notification_outbox')
    .selectAll()
    .where('id', '=', id)
    .where((eb) => ownedBy(eb, userId, email))
    .where('channel', '=', 'email')
    .executeTakeFirst()
}

function ownedBy(eb: ExpressionBuilder<Database, 'notification_outbox'>, userId: string, email: string | undefined) {
  const mine = eb('user_id', '=', userId)
  if (!email) return mine
  return eb.or([
    mine,
    eb.and([eb('user_id', 'is', null), eb('topic', '=', 'invitation'), eb('recipient', '=', email.toLowerCase())]),
  ])
}
