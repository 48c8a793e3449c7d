import {
  notificationPreferencesUpdateSchema,
  type MailDelivery,
  type MailDetail,
  type MailSummary,
  type Mailbox,
  type NotificationPreferencesResponse,
} from '@dialtone/shared/notifications'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import { recordAuditEvent } from '../audit/audit-repository.ts'
import { auditActorOf } from '../http/audit-context.ts'
import type { ViewerVariables } from '../http/require-viewer.ts'
import type { Database, NotificationOutboxRow } from '../db/schema.ts'
import { AppError } from '../lib/app-error.ts'
import type { Clock } from '../lib/clock.ts'
import { validate } from '../http/validate.ts'
import {
  findMailOfUser,
  getPreferences,
  listMailOfUser,
  updatePreferences,
} from '../notifications/notification-repository.ts'

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString()
}

function toMailSummary(row: NotificationOutboxRow): MailSummary {
  return {
    id: row.id,
    recipient: row.recipient,
    topic: row.topic,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    deliveredVia: row.delivered_via,
    createdAt: new Date(row.created_at).toISOString(),
    sentAt: iso(row.sent_at),
    nextAttemptAt: row.status === 'queued' || row.status === 'sending' ? iso(row.next_attempt_at) : null,
  }
}

/**
 * The signed-in user's email preferences and own mail: the sandbox's mailbox, or the delivery log of their mail
 * (a mail given up after its retries shows here with its last error). Mounted under /api behind requireViewer.
 */
export function notificationRoutes(deps: { db: Kysely<Database>; clock: Clock; mailDelivery: MailDelivery }) {
  const { db } = deps
  const answer = async (userId: string, email: string): Promise<NotificationPreferencesResponse> => ({
    ...(await getPreferences(db, userId)),
    email,
    mailDelivery: deps.mailDelivery,
  })
  return new Hono<{ Variables: ViewerVariables }>()
    .get('/notification-preferences', async (c) => {
      const viewer = c.get('viewer')
      return c.json(await answer(viewer.userId, viewer.email))
    })
    .put('/notification-preferences', validate('json', notificationPreferencesUpdateSchema), async (c) => {
      const viewer = c.get('viewer')
      await updatePreferences(db, viewer.userId, c.req.valid('json'), deps.clock.now())
      // Preferences are the person's own, but the log of the organisation they act for shows the change.
      await recordAuditEvent(db, {
        organizationId: viewer.organizationId,
        actor: auditActorOf(c),
        action: 'notification-preferences.update',
        target: { type: 'user', id: viewer.userId, label: viewer.email },
        details: { ...c.req.valid('json') },
      })
      return c.json(await answer(viewer.userId, viewer.email))
    })
    .get('/mailbox', async (c) => {
      const rows = await listMailOfUser(db, c.get('viewer').userId, 100, c.get('viewer').email)
      c.header('Cache-Control', 'no-store')
      return c.json({ mailDelivery: deps.mailDelivery, items: rows.map(toMailSummary) } satisfies Mailbox)
    })
    .get('/mailbox/:id', validate('param', z.object({ id: z.uuid('Not a mail id.') })), async (c) => {
      const row = await findMailOfUser(db, c.get('viewer').userId, c.req.valid('param').id, c.get('viewer').email)
      if (!row) throw new AppError('NOT_FOUND', 'No such mail in your mailbox.')
      c.header('Cache-Control', 'no-store')
      return c.json({ ...toMailSummary(row), textBody: row.text_body, htmlBody: row.html_body } satisfies MailDetail)
    })
}
