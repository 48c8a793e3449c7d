import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createVapiSandbox, type VapiSandboxOptions } from './create-vapi-sandbox.ts'

export interface RunningVapiSandbox {
  /** Base URL to give a Vapi client, e.g. http://127.0.0.1:4010 */
  url: string
  port: number
  close(): Promise<void>
}

/** The sandbox on a real port (0 picks a free one), listening on 127.0.0.1 unless told otherwise. */
export async function startVapiSandbox(
  options: VapiSandboxOptions & { port: number; host?: string },
): Promise<RunningVapiSandbox> {
  const { port: requestedPort, host = '127.0.0.1', ...sandboxOptions } = options
  const sandbox = createVapiSandbox(sandboxOptions)
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve, reject) => {
    const server = serve({ fetch: sandbox.app.fetch, port: requestedPort, hostname: host }, (info: AddressInfo) =>
      resolve({ server, port: info.port }),
    )
    server.once('error', reject)
  })
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: async () => {
      sandbox.close()
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        // Requests held by a latency fault would otherwise keep the server open.
        if ('closeAllConnections' in server) server.closeAllConnections()
      })
    },
  }
}
