import { signedAssignmentWebhook, signUpThrough } from '../test/support/cluster-client.ts'
import type { ServerProcess } from '../test/support/server-process.ts'
import { insertPendingNumbers, type ScratchDatabase } from './bench-database.ts'
import { createKeepAliveSender, type PreparedRequest } from './http-load.ts'
import { round, sleep, summarizeLatencies, type LatencySummary } from './latency-stats.ts'
import { closeBrowserSockets, connectBrowserSockets, type BrowserSocket } from './socket-clients.ts'
import { vapiIdOf } from '../test/support/vapi-id-of.ts'

export interface WebhookToBrowserResult {
  clients: number
  organizations: number
  clientsPerOrganization: number
  webhooks: number
  ratePerSecond: number
  /** From the start of the webhook request to the event at each client of the number's organisation. */
  latency: LatencySummary
  /** Webhook answer time at the same moment, for comparison. */
  webhookLatency: LatencySummary
  expectedDeliveries: number
  deliveries: number
  duplicates: number
}

/** Signs up `count` owners through the server and returns each one's cookie and organisation. */
export async function signUpOwners(database: ScratchDatabase, server: ServerProcess, count: number, label: string) {
  const owners: { cookie: string; organizationId: string }[] = []
  let next = 0
  const worker = async () => {
    for (let index = next++; index < count; index = next++) {
      const { cookie, email } = await signUpThrough(server.url, `${label} ${index}`)
      const member = await database.db
        .selectFrom('member')
        .innerJoin('user', 'user.id', 'member.userId')
        .select('member.organizationId')
        .where('user.email', '=', email)
        .executeTakeFirstOrThrow()
      owners[index] = { cookie, organizationId: member.organizationId }
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker))
  return owners
}

/**
 * Webhook to browser: `organizations` owners each have `clientsPerOrganization` tabs connected (WebSocket), and
 * activation webhooks for numbers of every organisation in turn are sent at a fixed rate (an open loop, so a
 * slow answer does not slow the sender). Each event is timed from the start of its webhook request to its arrival
 * at each tab of that organisation.
 */
export async function benchWebhookToBrowser(input: {
  database: ScratchDatabase
  server: ServerProcess
  /** More processes on the same database: tabs and webhooks are spread over `server` and these (cross-process path). */
  otherServers?: readonly ServerProcess[]
  webhookSecret: string
  label: string
  organizations: number
  clientsPerOrganization: number
  webhooks: number
  ratePerSecond: number
}): Promise<WebhookToBrowserResult> {
  const owners = await signUpOwners(input.database, input.server, input.organizations, input.label)
  const warmup = Math.min(50, input.webhooks)
  const perOrganization = Math.ceil((input.webhooks + warmup) / owners.length)
  for (const [index, owner] of owners.entries()) {
    await insertPendingNumbers(input.database, {
      organizationId: owner.organizationId,
      prefix: `${input.label}-${index}-`,
      count: perOrganization,
    })
  }
  // Round-robin over organisations: webhook k is for organisation k % n.
  const vapiIds = Array.from(
    { length: input.webhooks + warmup },
    (_, k) => `${input.label}-${k % owners.length}-${Math.floor(k / owners.length) + 1}`,
  )
  const requests: PreparedRequest[] = vapiIds.map((vapiPhoneNumberId, k) => {
    const { rawBody, headers } = signedAssignmentWebhook({
      secret: input.webhookSecret,
      vapiPhoneNumberId,
      number: `+1415${String(3_000_000 + k).padStart(7, '0')}`,
    })
    return { path: '/webhooks/vapi', headers, body: rawBody }
  })

  const sentAt = new Map<string, number>()
  const delivered = new Map<string, number>()
  const latenciesMs: number[] = []
  let isMeasuring = false
  const onSocket = (socket: BrowserSocket) => {
    socket.on('phone-number:updated', (phoneNumber) => {
      const arrivedAt = performance.now()
      const startedAt = sentAt.get(vapiIdOf(phoneNumber))
      if (startedAt === undefined || phoneNumber.status !== 'active') return
      delivered.set(vapiIdOf(phoneNumber), (delivered.get(vapiIdOf(phoneNumber)) ?? 0) + 1)
      if (isMeasuring) latenciesMs.push(arrivedAt - startedAt)
    })
  }
  const clients = input.organizations * input.clientsPerOrganization
  const allServers = [input.server, ...(input.otherServers ?? [])]
  const sockets = await connectBrowserSockets({
    baseUrl: input.server.url,
    baseUrls: allServers.map((server) => server.url),
    cookies: owners.map((owner) => owner.cookie),
    count: clients,
    concurrency: 20,
    onSocket,
  })
  // Webhook k goes to process k % n, so most events cross to tabs held by another process.
  const senders = allServers.map((server) => createKeepAliveSender(server.url, 16))
  const sender = {
    send: (prepared: PreparedRequest, k: number) => {
      const chosen = senders[k % senders.length]
      if (!chosen) throw new Error('no server to send to')
      return chosen.send(prepared)
    },
    close: () => senders.forEach((each) => each.close()),
  }
  try {
    const fire = async (batch: readonly PreparedRequest[], ids: readonly string[], ratePerSecond: number) => {
      const answers: Promise<number>[] = []
      const startedAt = performance.now()
      for (const [k, prepared] of batch.entries()) {
        const due = startedAt + (k * 1000) / ratePerSecond
        const wait = due - performance.now()
        if (wait > 1) await sleep(wait)
        sentAt.set(ids[k] ?? '', performance.now())
        answers.push(sender.send(prepared, k).then((answer) => answer.latencyMs))
      }
      return Promise.all(answers)
    }
    await fire(requests.slice(0, warmup), vapiIds.slice(0, warmup), input.ratePerSecond)
    await sleep(500)
    isMeasuring = true
    const measured = vapiIds.slice(warmup)
    const webhookLatencies = await fire(requests.slice(warmup), measured, input.ratePerSecond)
    const expectedDeliveries = measured.length * input.clientsPerOrganization
    const countDelivered = () =>
      measured.reduce((total, id) => total + Math.min(delivered.get(id) ?? 0, input.clientsPerOrganization), 0)
    const deadline = performance.now() + 10_000
    while (countDelivered() < expectedDeliveries && performance.now() < deadline) await sleep(50)
    await sleep(300)
    const deliveries = measured.reduce((total, id) => total + (delivered.get(id) ?? 0), 0)
    return {
      clients,
      organizations: input.organizations,
      clientsPerOrganization: input.clientsPerOrganization,
      webhooks: measured.length,
      ratePerSecond: input.ratePerSecond,
      latency: summarizeLatencies(latenciesMs),
      webhookLatency: summarizeLatencies(webhookLatencies),
      expectedDeliveries,
      deliveries: countDelivered(),
      duplicates: round(deliveries - countDelivered(), 0),
    }
  } finally {
    sender.close()
    closeBrowserSockets(sockets)
  }
}
