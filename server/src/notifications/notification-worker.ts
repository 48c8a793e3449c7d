import { evaluateAlertRules } from '../alerts/evaluate-alert-rules.ts'
import { pruneAuditEvents } from '../audit/audit-repository.ts'
import { fanOutNotificationEvents } from './fan-out-notification-events.ts'
import type { NotificationDeps } from './notification-deps.ts'
import { sendDueNotifications } from './send-due-notifications.ts'

export interface NotificationWorker {
  /** Finishes the round in progress, then stops. */
  stop(): Promise<void>
}

export interface NotificationWorkerOptions {
  /** Sleep between rounds of fan-out and sending. */
  intervalMs: number
  /** How often the admin alert rules are evaluated (ALERT_EVALUATION_MS). */
  alertEvaluationMs: number
  /** Audit events older than this are deleted (AUDIT_RETENTION_DAYS), looked at once an hour. */
  auditRetentionMs?: number
}

const auditHousekeepingEveryMs = 60 * 60 * 1_000

/** One round: events to mail, due mail sent, and the alert rules when their interval has passed. */
export async function runNotificationRound(
  deps: NotificationDeps,
  input: { shouldEvaluateAlerts: boolean },
): Promise<void> {
  await fanOutNotificationEvents(deps)
  if (input.shouldEvaluateAlerts) await evaluateAlertRules(deps)
  await sendDueNotifications(deps)
}

/**
 * The notification job of a worker process, beside the provisioning worker: its own loop, so a slow SMTP server
 * never delays the poller. Every table it works from is claimed with SKIP LOCKED, so several workers share it.
 */
export function startNotificationWorker(
  deps: NotificationDeps,
  options: NotificationWorkerOptions,
): NotificationWorker {
  let isStopping = false
  let lastEvaluation = 0
  let lastAuditHousekeeping = 0
  let wakeSleeper: (() => void) | null = null

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      wakeSleeper = () => {
        clearTimeout(timer)
        resolve()
      }
    })

  const loop = async () => {
    while (!isStopping) {
      const now = deps.clock.now().getTime()
      const shouldEvaluateAlerts = now - lastEvaluation >= options.alertEvaluationMs
      if (shouldEvaluateAlerts) lastEvaluation = now
      try {
        await runNotificationRound(deps, { shouldEvaluateAlerts })
        if (options.auditRetentionMs !== undefined && now - lastAuditHousekeeping >= auditHousekeepingEveryMs) {
          lastAuditHousekeeping = now
          await pruneAuditEvents(deps.db, { olderThan: new Date(now - options.auditRetentionMs) })
        }
      } catch (error) {
        // The database or the mail server being away must not end the loop; the next round tries again.
        deps.logger.warn({ err: error }, 'notification round failed')
      }
      if (!isStopping) await sleep(Math.min(options.intervalMs, options.alertEvaluationMs))
    }
  }
  const running = loop()

  return {
    stop: async () => {
      isStopping = true
      wakeSleeper?.()
      await running
    },
  }
}
