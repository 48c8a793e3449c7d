import { Agent, request } from 'node:http'

export interface PreparedRequest {
  path: string
  headers: Record<string, string>
  body: string
}

export interface SentRequest {
  status: number
  latencyMs: number
  /** The JSON answer's `outcome` field (webhook answers say what they did), or 'none'. */
  outcome: string
  isError: boolean
}

/** POSTs over a pool of keep-alive connections, as a load balancer or Vapi's senders would. */
export function createKeepAliveSender(baseUrl: string, maxSockets: number) {
  const url = new URL(baseUrl)
  const agent = new Agent({ keepAlive: true, maxSockets })
  const send = (prepared: PreparedRequest) =>
    new Promise<SentRequest>((resolve) => {
      const startedAt = performance.now()
      const outgoing = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: prepared.path,
          method: 'POST',
          headers: { ...prepared.headers, 'content-length': Buffer.byteLength(prepared.body) },
        },
        (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () => {
            const match = /"outcome":"([a-z-]+)"/.exec(Buffer.concat(chunks).toString('utf8'))
            resolve({
              status: response.statusCode ?? 0,
              latencyMs: performance.now() - startedAt,
              outcome: match?.[1] ?? 'none',
              isError: false,
            })
          })
        },
      )
      outgoing.on('error', () =>
        resolve({ status: 0, latencyMs: performance.now() - startedAt, outcome: 'error', isError: true }),
      )
      outgoing.end(prepared.body)
    })
  return { send, close: () => agent.destroy() }
}

export interface LoadResult {
  sent: number
  elapsedMs: number
  latenciesMs: number[]
  /** Status code → how many answers had it. */
  statuses: Record<string, number>
  /** Answer `outcome` → count. */
  outcomes: Record<string, number>
  errors: number
}

/**
 * Sends every prepared request exactly once over `concurrency` keep-alive connections, each connection sending
 * its next request as soon as the previous answer is in (a closed loop: the rate is what the server sustains).
 */
export async function runClosedLoop(input: {
  baseUrl: string
  requests: readonly PreparedRequest[]
  concurrency: number
}): Promise<LoadResult> {
  const sender = createKeepAliveSender(input.baseUrl, input.concurrency)
  const latenciesMs: number[] = []
  const statuses: Record<string, number> = {}
  const outcomes: Record<string, number> = {}
  let errors = 0
  let next = 0

  const worker = async () => {
    for (let index = next++; index < input.requests.length; index = next++) {
      const prepared = input.requests[index]
      if (!prepared) continue
      const answer = await sender.send(prepared)
      if (answer.isError) errors += 1
      latenciesMs.push(answer.latencyMs)
      statuses[String(answer.status)] = (statuses[String(answer.status)] ?? 0) + 1
      outcomes[answer.outcome] = (outcomes[answer.outcome] ?? 0) + 1
    }
  }
  const startedAt = performance.now()
  await Promise.all(Array.from({ length: input.concurrency }, worker))
  const elapsedMs = performance.now() - startedAt
  sender.close()
  return { sent: input.requests.length, elapsedMs, latenciesMs, statuses, outcomes, errors }
}
