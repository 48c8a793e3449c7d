import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders
  /** Exactly the bytes that arrived, as text: signatures are checked over this. */
  rawBody: string
  receivedAt: number
  /** The status this request was answered with. */
  answeredStatus: number
}

/**
 * A real HTTP server on a loopback port that records every POST it gets (for tests that receive the sandbox's
 * or dialtone's webhooks). It answers `status` (200 by default; a test may change it between requests) after
 * `delayMs`.
 */
export async function startWebhookReceiver(options: { status?: number; delayMs?: number; body?: string } = {}) {
  const received: ReceivedWebhook[] = []
  /** `body`: what a 2xx answers (an organisation's server answering an assistant-request); `{"ok":true}` by default. */
  const answer: { status: number; delayMs: number; body?: string | undefined } = {
    status: options.status ?? 200,
    delayMs: options.delayMs ?? 0,
    body: options.body,
  }
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const { status } = answer
      received.push({
        headers: request.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
        answeredStatus: status,
      })
      setTimeout(() => {
        response.writeHead(status, { 'content-type': 'application/json' })
        response.end(status < 300 ? (answer.body ?? '{"ok":true}') : `{"error":"answered ${status}"}`)
      }, answer.delayMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/webhooks/vapi`,
    received,
    answer,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
    /** Stops listening: connections to its port are refused until `resume()`, which listens on the same port. */
    pause: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
    resume: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
  }
}
