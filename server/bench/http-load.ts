import { Agent, request } from 'node:http'

export interface PreparedRequest {
  path: string
  headers: Record<string, string>
  body: string
}

export interface LoadResult {
  sent: number
  elapsedMs: number
  latenciesMs: number[]
  /** Status code → how many answers had it. */
  statuses: Record<string, number>
  /** The parsed JSON answers' `outcome` field → count (webhook answers say what they did). */
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
  const url = new URL(input.baseUrl)
  const agent = new Agent({ keepAlive: true, maxSockets: input.concurrency })
  const latenciesMs: number[] = []
  const statuses: Record<string, number> = {}
  const outcomes: Record<string, number> = {}
  let errors = 0
  let next = 0

  const sendOne = (prepared: PreparedRequest) =>
    new Promise<void>((resolve) => {
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
            latenciesMs.push(performance.now() - startedAt)
            const status = String(response.statusCode ?? 0)
            statuses[status] = (statuses[status] ?? 0) + 1
            const text = Buffer.concat(chunks).toString('utf8')
            const match = /"outcome":"([a-z-]+)"/.exec(text)
            const outcome = match?.[1] ?? 'none'
            outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
            resolve()
          })
        },
      )
      outgoing.on('error', () => {
        errors += 1
        resolve()
      })
      outgoing.end(prepared.body)
    })

  const worker = async () => {
    for (let index = next++; index < input.requests.length; index = next++) {
      const prepared = input.requests[index]
      if (prepared) await sendOne(prepared)
    }
  }
  const startedAt = performance.now()
  await Promise.all(Array.from({ length: input.concurrency }, worker))
  const elapsedMs = performance.now() - startedAt
  agent.destroy()
  return { sent: input.requests.length, elapsedMs, latenciesMs, statuses, outcomes, errors }
}
