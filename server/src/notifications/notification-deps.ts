import type { Kysely } from 'kysely'
import type { AdminAlert } from '@dialtone/shared/admin-alerts'
import type { Database } from '../db/schema.ts'
import type { Clock } from '../lib/clock.ts'
import type { Logger } from '../lib/logger.ts'
import type { MailTransport } from './mail-transport.ts'

/** How the worker tells admins' browsers that an alert opened or closed. */
export interface AdminAlertPublisher {
  alertChanged(alert: AdminAlert): void
}

export const silentAlertPublisher: AdminAlertPublisher = { alertChanged: () => {} }

/** What the notification jobs (email, admin alerts) receive; nothing here knows about Hono or Socket.IO. */
export interface NotificationDeps {
  db: Kysely<Database>
  clock: Clock
  logger: Logger
  transport: MailTransport
  mailFrom: string
  /** PUBLIC_URL: links in mail point here. */
  publicUrl: string
  unsubscribeSecret: string
  /** A mail waits this long after its first event, so events in the window are folded into it. */
  foldWindowMs: number
  /** A number still pending this long after it was requested is reported stuck (once). */
  stuckAfterMs: number
  /** Waits before each retry; after the last one the mail is marked failed (and stays visible). */
  retryDelaysMs: readonly number[]
  /** A claimed mail is not claimed again by another process for this long (the send must finish within it). */
  leaseMs: number
  /** This process in worker_process (processes/): written beside each claim so a dead process's claims are taken over. */
  processId?: string
  /** PROVISIONING_DEADLINE_MS, for the "pending far beyond the deadline" rule. */
  deadlineMs: number
  alertPublisher: AdminAlertPublisher
  /** ADMIN_ALERT_WEBHOOK_URL and its signing secret; null when unset. */
  alertWebhook: { url: string; secret: string } | null
}

/** 30 s, 2 min, 10 min, 30 min, 1 h, 3 h: about five hours before a mail is given up. */
export const defaultRetryDelaysMs = [30_000, 120_000, 600_000, 1_800_000, 3_600_000, 10_800_000] as const
