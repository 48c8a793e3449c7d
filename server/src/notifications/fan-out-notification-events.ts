import type { NotificationDeps } from './notification-deps.ts'
import {
  claimUnprocessedEvents,
  findEventRecipients,
  markEventsProcessed,
  preferenceOfEvent,
  queueEventMail,
  queueStuckEvents,
} from './notification-repository.ts'

/**
 * Turns the events the database queued (status changes, and numbers found stuck) into mail for the members who
 * asked for them, in one transaction per batch: a batch is either fanned out and marked processed, or left for
 * the next round. With no way to send mail (no SMTP_URL outside the sandbox), events are marked processed only.
 */
export async function fanOutNotificationEvents(
  deps: NotificationDeps,
  options: { batchSize: number } = { batchSize: 100 },
): Promise<{ events: number; mails: number }> {
  const now = deps.clock.now()
  await queueStuckEvents(deps.db, { now, stuckAfterMs: deps.stuckAfterMs })
  return deps.db.transaction().execute(async (trx) => {
    const events = await claimUnprocessedEvents(trx, options.batchSize)
    let mails = 0
    if (deps.transport.kind !== 'off') {
      for (const { eventId: _eventId, organizationId, ...event } of events) {
        const recipients = await findEventRecipients(trx, organizationId, preferenceOfEvent[event.kind])
        for (const recipient of recipients) {
          await queueEventMail(trx, { recipient, event, now, foldWindowMs: deps.foldWindowMs })
          mails++
        }
      }
    }
    await markEventsProcessed(
      trx,
      events.map((event) => event.eventId),
      now,
    )
    return { events: events.length, mails }
  })
}
