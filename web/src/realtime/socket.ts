import { io, type Socket } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents } from '@dialtone/shared/socket-events'

export type DialtoneSocket = Socket<ServerToClientEvents, ClientToServerEvents>

let socket: DialtoneSocket | null = null

/**
 * The one Socket.IO connection of this tab. It is created without connecting: the handshake is authenticated
 * by the session cookie, so the app connects it only once someone is signed in (see use-socket-connection.ts).
 */
export function getSocket(): DialtoneSocket {
  socket ??= io({
    path: '/socket.io',
    withCredentials: true,
    autoConnect: false,
    // A refused handshake (signed out) must not hammer the server; reconnection backs off up to 5 s.
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
  })
  return socket
}
