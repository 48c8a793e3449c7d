import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { PhoneNumberPublisher } from '../realtime/publisher.ts'

/** Prometheus metrics for one process; scrape every process (they are not aggregated here). */
export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'dialtone_process_' })

  const transitions = new Counter({
    name: 'dialtone_phone_number_transitions_total',
    help: 'Status changes of phone numbers published by this process, by new status and by what detected them.',
    labelNames: ['status', 'detected_by'] as const,
    registers: [registry],
  })
  const timeToLive = new Histogram({
    name: 'dialtone_time_to_live_seconds',
    help: 'Seconds from the create request to the number going live.',
    buckets: [1, 2, 5, 10, 15, 20, 30, 45, 60, 120, 300, 900],
    registers: [registry],
  })
  const created = new Counter({
    name: 'dialtone_phone_numbers_created_total',
    help: 'Numbers bought through Vapi and stored by this process.',
    registers: [registry],
  })
  const webhookDuration = new Histogram({
    name: 'dialtone_webhook_duration_seconds',
    help: 'Time to handle a Vapi webhook, by outcome.',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  })
  const pollChecks = new Counter({
    name: 'dialtone_poll_checks_total',
    help: 'Numbers the fallback poller checked at Vapi, by result.',
    labelNames: ['result'] as const,
    registers: [registry],
  })
  const socketsConnected = new Gauge({
    name: 'dialtone_sockets_connected',
    help: 'Socket.IO clients connected to this process.',
    registers: [registry],
  })

  return {
    registry,
    socketsConnected,
    recordCreated: () => created.inc(),
    recordWebhook: (outcome: string, durationMs: number) => webhookDuration.observe({ outcome }, durationMs / 1000),
    recordPollRound: (round: { activated: number; failed: number; stillPending: number; errors: number }) => {
      pollChecks.inc({ result: 'activated' }, round.activated)
      pollChecks.inc({ result: 'failed' }, round.failed)
      pollChecks.inc({ result: 'still_pending' }, round.stillPending)
      pollChecks.inc({ result: 'error' }, round.errors)
    },
    /** Wraps a publisher so every committed transition is counted exactly where it is announced. */
    observePublisher: (inner: PhoneNumberPublisher): PhoneNumberPublisher => ({
      phoneNumberUpdated: (organizationId, phoneNumber) => {
        transitions.inc({ status: phoneNumber.status, detected_by: phoneNumber.detectedBy ?? 'none' })
        if (phoneNumber.status === 'active' && phoneNumber.activatedAt) {
          timeToLive.observe((Date.parse(phoneNumber.activatedAt) - Date.parse(phoneNumber.createdAt)) / 1000)
        }
        inner.phoneNumberUpdated(organizationId, phoneNumber)
      },
      phoneNumberActivity: (organizationId, phoneNumber) => inner.phoneNumberActivity?.(organizationId, phoneNumber),
    }),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
