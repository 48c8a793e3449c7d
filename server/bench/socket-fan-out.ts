import { readFile } from 'node:fs/promises'
import { signedAssignmentWebhook } from '../test/support/cluster-client.ts'
import { fetchMetrics, type ServerProcess } from '../test/support/server-process.ts'
import { insertPendingNumbers, type ScratchDatabase } from './bench-database.ts'
import { createKeepAliveSender } from './http-load.ts'
import { round, sleep } from './latency-stats.ts'
import { closeBrowserSockets, connectBrowserSockets, type BrowserSocket } from './socket-clients.ts'
import { signUpOwners } from './webhook-to-browser.ts'
import { vapiIdOf } from '../test/support/vapi-id-of.ts'

export interface FanOutStep {
  clients: number
  /** What the server itself reports (dialtone_sockets_connected). */
  serverSockets: number | null
  rssMb: number
  heapUsedMb: number | null
  /** (RSS now − RSS with no clients) / clients. */
  rssPerClientKb: number
  /** One event to an organisation every client belongs to: from the webhook request to the last client. */
  broadcastMs: number
  connectSeconds: number
}

export interface FanOutResult {
  baselineRssMb: number
  baselineHeapUsedMb: number | null
  steps: FanOutStep[]
}

/** VmRSS of a process, from /proc (Linux), in MiB. */
export async function residentMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN)
  return round(kb / 1024, 1)
}

const toMb = (bytes: number | null) => (bytes === null ? null : round(bytes / 2 ** 20, 1))

async function serverMetric(server: ServerProcess, name: string): Promise<number | null> {
  const text = await (await fetchMetrics(server.url)).text()
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `))
  return line === undefined ? null : Number(line.split(' ').at(-1))
}

/**
 * Clients one process holds: a fresh server process, then more and more WebSocket clients (all tabs of one
 * organisation), with the process's resident memory read from /proc after each step settles, and one event sent
 * to all of them to show they are all still live.
 */
export async function benchSocketFanOut(input: {
  database: ScratchDatabase
  server: ServerProcess
  webhookSecret: string
  steps: readonly number[]
}): Promise<FanOutResult> {
  const [owner] = await signUpOwners(input.database, input.server, 1, 'fan-out')
  if (!owner) throw new Error('no owner')
  await insertPendingNumbers(input.database, {
    organizationId: owner.organizationId,
    prefix: 'fan-out-',
    count: input.steps.length,
  })
  await sleep(2_000)
  const baselineRssMb = await residentMb(input.server.pid)
  const baselineHeapUsedMb = toMb(await serverMetric(input.server, 'dialtone_process_nodejs_heap_size_used_bytes'))

  const sockets: BrowserSocket[] = []
  const received = new Map<string, number>()
  const sender = createKeepAliveSender(input.server.url, 2)
  const steps: FanOutStep[] = []
  try {
    for (const [stepIndex, target] of input.steps.entries()) {
      const connectStartedAt = performance.now()
      const added = await connectBrowserSockets({
        baseUrl: input.server.url,
        cookies: [owner.cookie],
        count: target - sockets.length,
        concurrency: 50,
        onSocket: (socket) =>
          socket.on('phone-number:updated', (phoneNumber) =>
            received.set(vapiIdOf(phoneNumber), (received.get(vapiIdOf(phoneNumber)) ?? 0) + 1),
          ),
      })
      sockets.push(...added)
      const connectSeconds = (performance.now() - connectStartedAt) / 1000
      await sleep(3_000)
      const rssMb = await residentMb(input.server.pid)

      const vapiPhoneNumberId = `fan-out-${stepIndex + 1}`
      const { rawBody, headers } = signedAssignmentWebhook({
        secret: input.webhookSecret,
        vapiPhoneNumberId,
        number: `+1415${String(4_000_000 + stepIndex).padStart(7, '0')}`,
      })
      const startedAt = performance.now()
      await sender.send({ path: '/webhooks/vapi', headers, body: rawBody })
      const deadline = startedAt + 30_000
      while ((received.get(vapiPhoneNumberId) ?? 0) < sockets.length && performance.now() < deadline) await sleep(5)
      const broadcastMs = performance.now() - startedAt
      if ((received.get(vapiPhoneNumberId) ?? 0) < sockets.length) {
        throw new Error(`only ${received.get(vapiPhoneNumberId) ?? 0} of ${sockets.length} clients got the event`)
      }
      steps.push({
        clients: sockets.length,
        serverSockets: await serverMetric(input.server, 'dialtone_sockets_connected'),
        rssMb,
        heapUsedMb: toMb(await serverMetric(input.server, 'dialtone_process_nodejs_heap_size_used_bytes')),
        rssPerClientKb: round(((rssMb - baselineRssMb) * 1024) / sockets.length, 1),
        broadcastMs: round(broadcastMs, 1),
        connectSeconds: round(connectSeconds, 1),
      })
    }
    return { baselineRssMb, baselineHeapUsedMb, steps }
  } finally {
    sender.close()
    closeBrowserSockets(sockets)
  }
}
