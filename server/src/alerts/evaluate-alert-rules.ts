import type { AdminAlert } from '@dialtone/shared/admin-alerts'
import type { NotificationDeps } from '../notifications/notification-deps.ts'
import type { AdminAlertPayload } from '../notifications/notification-payloads.ts'
import { findAlertRecipients, queueAlertDeliveries } from '../notifications/notification-repository.ts'
import type { Transaction } from 'kysely'
import type { AdminAlertRow, Database } from '../db/schema.ts'
import { closeAlert, hasOpenAlert, listRules, openAlert, toAdminAlert } from './alert-repository.ts'
import { measureRule } from './measure-alert-conditions.ts'

/**
 * Measures every rule and opens or closes its alert. Opening and closing are each one conditional statement (at
 * most one open alert per rule), in the same transaction as the mail to admins and the webhook delivery they
 * queue, so an alert is announced exactly once however many workers evaluate. Browsers hear after the commit.
 */
export async function evaluateAlertRules(deps: NotificationDeps): Promise<AdminAlert[]> {
  const now = deps.clock.now()
  const changed: AdminAlert[] = []
  for (const rule of await listRules(deps.db)) {
    const isOpen = await hasOpenAlert(deps.db, rule.kind)
    if (!rule.isEnabled) {
      if (!isOpen) continue
      const closed = await announce(deps, 'closed', (trx) =>
        closeAlert(trx, { kind: rule.kind, closingSummary: 'The rule was turned off', now }),
      )
      if (closed) changed.push(closed)
      continue
    }
    const measurement = await measureRule(deps.db, {
      kind: rule.kind,
      threshold: rule.threshold,
      now,
      deadlineMs: deps.deadlineMs,
    })
    if (measurement.isFiring && !isOpen) {
      const opened = await announce(deps, 'opened', (trx) =>
        openAlert(trx, {
          kind: rule.kind,
          summary: measurement.summary,
          value: measurement.value,
          threshold: rule.threshold,
          now,
        }),
      )
      if (opened) changed.push(opened)
    } else if (!measurement.isFiring && isOpen) {
      const closed = await announce(deps, 'closed', (trx) =>
        closeAlert(trx, { kind: rule.kind, closingSummary: measurement.summary, now }),
      )
      if (closed) changed.push(closed)
    }
  }
  for (const alert of changed) deps.alertPublisher.alertChanged(alert)
  return changed
}

async function announce(
  deps: NotificationDeps,
  change: AdminAlertPayload['change'],
  transition: (trx: Transaction<Database>) => Promise<AdminAlertRow | null>,
): Promise<AdminAlert | null> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await transition(trx)
    if (!row) return null
    const alert = toAdminAlert(row)
    const recipients = deps.transport.kind === 'off' ? [] : await findAlertRecipients(trx)
    await queueAlertDeliveries(trx, {
      recipients,
      webhookUrl: deps.alertWebhook?.url ?? null,
      payload: JSON.stringify({ change, alert } satisfies AdminAlertPayload),
      now: deps.clock.now(),
    })
    deps.logger.info({ kind: alert.kind, change, summary: alert.summary }, `admin alert ${change}`)
    return alert
  })
}
