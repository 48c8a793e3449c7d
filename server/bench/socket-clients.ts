import type { ServerToClientEvents } from '@dialtone/shared/socket-events'
import { io as connectSocket, type Socket } from 'socket.io-client'

export type BrowserSocket = Socket<ServerToClientEvents>

/** One browser tab's Socket.IO connection: WebSocket only, the session cookie in the handshake, no reconnects. */
export function connectBrowserSocket(baseUrl: string, cookie: string, timeoutMs = 20_000): Promise<BrowserSocket> {
  const socket: BrowserSocket = connectSocket(baseUrl, {
    transports: ['websocket'],
    extraHeaders: { cookie },
    reconnection: false,
    forceNew: true,
    timeout: timeoutMs,
  })
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', (error) => {
      socket.close()
      reject(error)
    })
  })
}

/** `count` sockets, the i-th with cookies[i % cookies.length], opened `concurrency` at a time. */
export async function connectBrowserSockets(input: {
  baseUrl: string
  /** Several processes: the k-th tab of each organisation connects to process k % n (every process has some). */
  baseUrls?: readonly string[]
  cookies: readonly string[]
  count: number
  concurrency: number
  onSocket?: (socket: BrowserSocket, index: number) => void
}): Promise<BrowserSocket[]> {
  const sockets: BrowserSocket[] = new Array<BrowserSocket>(input.count)
  let next = 0
  const worker = async () => {
    for (let index = next++; index < input.count; index = next++) {
      const cookie = input.cookies[index % input.cookies.length] ?? ''
      const urls = input.baseUrls ?? [input.baseUrl]
      const tab = Math.floor(index / Math.max(1, input.cookies.length))
      const socket = await connectBrowserSocket(urls[tab % urls.length] ?? input.baseUrl, cookie)
      input.onSocket?.(socket, index)
      sockets[index] = socket
    }
  }
  await Promise.all(Array.from({ length: input.concurrency }, worker))
  return sockets
}

export function closeBrowserSockets(sockets: readonly (BrowserSocket | undefined)[]) {
  for (const socket of sockets) socket?.close()
}
