import { signedAssignmentWebhook } from '../test/support/cluster-client.ts'
import type { ServerProcess } from '../test/support/server-process.ts'
import { processCpuSeconds, startBackendCpuSampler } from './cpu-usage.ts'
import { insertOrganization, insertPendingNumbers, type ScratchDatabase } from './bench-database.ts'
import { runClosedLoop, type PreparedRequest } from './http-load.ts'
import { round, summarizeLatencies, type LatencySummary } from './latency-stats.ts'

export interface WebhookIngestResult {
  webhooks: number
  concurrency: number
  webhooksPerSecond: number
  latency: LatencySummary
  transitioned: number
  statuses: Record<string, number>
  outcomes: Record<string, number>
  /** CPU time per webhook in the server process and in the Postgres backends serving it (machine-load-proof). */
  serverCpuMsPerWebhook: number | null
  postgresCpuMsPerWebhook: number
}

/** Twelve digits of i as a +1 415 number, so every webhook carries a distinct valid E.164 number. */
const numberFor = (index: number) => `+1415${String(2_000_000 + index).padStart(7, '0')}`

function activationWebhooks(prefix: string, count: number, secret: string): PreparedRequest[] {
  return Array.from({ length: count }, (_, offset) => {
    const index = offset + 1
    const { rawBody, headers } = signedAssignmentWebhook({
      secret,
      vapiPhoneNumberId: `${prefix}${index}`,
      number: numberFor(index),
    })
    return { path: '/webhooks/vapi', headers, body: rawBody }
  })
}

/**
 * Sustained signed webhooks per second that each make a transition: `count` pending numbers are created in the
 * database, then each one's activation webhook is sent once to a server process over keep-alive HTTP at a fixed
 * concurrency. A warm-up batch on numbers of their own runs first (JIT, pool, caches).
 */
export async function benchWebhookIngest(input: {
  adminUrl: string
  database: ScratchDatabase
  server: ServerProcess
  webhookSecret: string
  count: number
  warmup: number
  concurrency: number
  /** Tells this run's numbers apart from another run's on the same database. */
  label: string
}): Promise<WebhookIngestResult> {
  const prefix = `${input.label}-`
  const organizationId = await insertOrganization(input.database, 'Ingest bench')
  await insertPendingNumbers(input.database, { organizationId, prefix: `${prefix}warmup-`, count: input.warmup })
  await insertPendingNumbers(input.database, { organizationId, prefix, count: input.count })
  await input.database.pool?.query('vacuum analyze phone_number')

  const warmup = activationWebhooks(`${prefix}warmup-`, input.warmup, input.webhookSecret)
  await runClosedLoop({ baseUrl: input.server.url, requests: warmup, concurrency: input.concurrency })

  const requests = activationWebhooks(prefix, input.count, input.webhookSecret)
  const backends = startBackendCpuSampler(input.adminUrl, input.database.name)
  await backends.ready
  const serverCpuBefore = await processCpuSeconds(input.server.pid)
  const result = await runClosedLoop({ baseUrl: input.server.url, requests, concurrency: input.concurrency })
  const serverCpuAfter = await processCpuSeconds(input.server.pid)
  const postgresCpuSeconds = await backends.stop()
  return {
    webhooks: result.sent,
    concurrency: input.concurrency,
    webhooksPerSecond: round((result.sent / result.elapsedMs) * 1000, 0),
    latency: summarizeLatencies(result.latenciesMs),
    transitioned: result.outcomes.transitioned ?? 0,
    statuses: result.statuses,
    outcomes: result.outcomes,
    serverCpuMsPerWebhook:
      serverCpuBefore === null || serverCpuAfter === null
        ? null
        : round(((serverCpuAfter - serverCpuBefore) * 1000) / result.sent, 3),
    postgresCpuMsPerWebhook: round((postgresCpuSeconds * 1000) / result.sent, 3),
  }
}
