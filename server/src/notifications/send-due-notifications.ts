import type { NotificationOutboxRow } from '../db/schema.ts'
import type { NotificationDeps } from './notification-deps.ts'
import {
  adminAlertPayloadSchema,
  invitationMailPayloadSchema,
  phoneNumberMailPayloadSchema,
} from './notification-payloads.ts'
import {
  claimDueOutbox,
  markOutboxAttemptFailed,
  markOutboxSent,
  preferenceOfEvent,
} from './notification-repository.ts'
import { renderAlertMail } from './render-alert-mail.ts'
import { renderInvitationMail } from './render-invitation-mail.ts'
import type { MailFooter, RenderedMail } from './render-mail.ts'
import { renderPhoneNumberMail } from './render-phone-number-mail.ts'
import { signAlertWebhook } from './sign-alert-webhook.ts'
import { createUnsubscribeToken, type PreferenceKey } from './unsubscribe-token.ts'

export const alertWebhookTimeoutMs = 10_000

function unsubscribeUrl(deps: NotificationDeps, row: NotificationOutboxRow, preferences: PreferenceKey[]): string {
  const token = createUnsubscribeToken(deps.unsubscribeSecret, { userId: row.user_id ?? '', preferences })
  return `${deps.publicUrl}/unsubscribe?token=${token}`
}

/** What the mail says and which preferences its unsubscribe link turns off. */
function renderRow(
  deps: NotificationDeps,
  row: NotificationOutboxRow,
): { mail: RenderedMail; unsubscribe: string | null } {
  const preferencesUrl = `${deps.publicUrl}/settings`
  // Sent once, because someone asked: nothing to unsubscribe from.
  if (row.topic === 'invitation') {
    return { mail: renderInvitationMail(invitationMailPayloadSchema.parse(row.payload)), unsubscribe: null }
  }
  if (row.topic === 'admin-alert') {
    const unsubscribe = unsubscribeUrl(deps, row, ['adminAlerts'])
    const footer: MailFooter = {
      reason: 'You get this because you are a dialtone platform admin with alert mail turned on.',
      unsubscribeUrl: unsubscribe,
      preferencesUrl,
    }
    const payload = adminAlertPayloadSchema.parse(row.payload)
    return { mail: renderAlertMail({ payload, publicUrl: deps.publicUrl, footer }), unsubscribe }
  }
  const { events } = phoneNumberMailPayloadSchema.parse(row.payload)
  const preferences = [...new Set(events.map((event) => preferenceOfEvent[event.kind]))]
  const unsubscribe = unsubscribeUrl(deps, row, preferences)
  const footer: MailFooter = {
    reason: 'You get this because you asked dialtone to mail you about your organisation’s numbers.',
    unsubscribeUrl: unsubscribe,
    preferencesUrl,
  }
  return { mail: renderPhoneNumberMail({ events, publicUrl: deps.publicUrl, footer }), unsubscribe }
}

async function postAlertWebhook(deps: NotificationDeps, row: NotificationOutboxRow): Promise<void> {
  if (!deps.alertWebhook) throw new Error('ADMIN_ALERT_WEBHOOK_URL is no longer set')
  const payload = adminAlertPayloadSchema.parse(row.payload)
  const body = JSON.stringify({ type: `admin-alert.${payload.change}`, id: row.id, data: payload.alert })
  const timestamp = Math.floor(deps.clock.now().getTime() / 1000)
  const response = await fetch(row.recipient, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-dialtone-timestamp': String(timestamp),
      'x-dialtone-signature': signAlertWebhook(deps.alertWebhook.secret, timestamp, body),
      'x-dialtone-delivery': row.id,
    },
    body,
    signal: AbortSignal.timeout(alertWebhookTimeoutMs),
  })
  await response.body?.cancel()
  if (!response.ok) throw new Error(`the alert webhook answered HTTP ${response.status}`)
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * The mail server said never (an SMTP 5xx: no such mailbox, refused by policy): sending the same mail again would
 * only be refused again, and repeated attempts at a refusing server are how senders get blocklisted. A 4xx ("try
 * later"), a refused or dropped connection, or a timeout is retried.
 */
function isPermanentRefusal(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { responseCode?: unknown }).responseCode : null
  return typeof code === 'number' && code >= 500 && code < 600
}

/**
 * One round of the outbox: claims what is due, sends it (SMTP, the sandbox's mailbox, or the alert webhook), and
 * records the outcome. A failed send is retried after the next delay in retryDelaysMs; once they are used up, or at
 * once when the mail server refuses it for good (5xx), the row is marked failed and stays in the mailbox with its
 * last error.
 */
export async function sendDueNotifications(
  deps: NotificationDeps,
  options: { batchSize: number } = { batchSize: 20 },
): Promise<{ sent: number; retried: number; failed: number }> {
  const claimed = await claimDueOutbox(deps.db, {
    now: deps.clock.now(),
    leaseMs: deps.leaseMs,
    limit: options.batchSize,
    ...(deps.processId ? { processId: deps.processId } : {}),
  })
  const outcome = { sent: 0, retried: 0, failed: 0 }
  for (const row of claimed) {
    let rendered: RenderedMail | null = null
    try {
      if (row.channel === 'webhook') {
        await postAlertWebhook(deps, row)
        await markOutboxSent(deps.db, row, {
          now: deps.clock.now(),
          via: 'http',
          subject: null,
          text: null,
          html: null,
        })
        outcome.sent++
        continue
      }
      const { mail, unsubscribe } = renderRow(deps, row)
      rendered = mail
      if (deps.transport.kind === 'smtp') {
        await deps.transport.send({
          from: deps.mailFrom,
          to: row.recipient,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: `<${row.id}@dialtone>`,
          headers: unsubscribe
            ? { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
            : {},
        })
      } else if (deps.transport.kind === 'off') {
        throw new Error('mail is off on this server (no SMTP_URL)')
      }
      const via = deps.transport.kind === 'smtp' ? 'smtp' : 'mailbox'
      await markOutboxSent(deps.db, row, {
        now: deps.clock.now(),
        via,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      })
      outcome.sent++
    } catch (error) {
      const delay =
        row.channel !== 'webhook' && isPermanentRefusal(error) ? undefined : deps.retryDelaysMs[row.attempts - 1]
      const now = deps.clock.now()
      const retryAt = delay === undefined ? null : new Date(now.getTime() + delay)
      deps.logger.warn(
        { err: error, outboxId: row.id, channel: row.channel, attempts: row.attempts, willRetry: retryAt !== null },
        'notification not sent',
      )
      await markOutboxAttemptFailed(deps.db, row, { now, error: describeError(error), retryAt, rendered })
      if (retryAt) outcome.retried++
      else outcome.failed++
    }
  }
  return outcome
}
