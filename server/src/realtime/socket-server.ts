import type { Server as HttpServer } from 'node:http'
import type {
  ClientToServerEvents,
  ProvisioningStatsChange,
  ServerToClientEvents,
} from '@dialtone/shared/socket-events'
import type { Kysely } from 'kysely'
import { Server, type ServerOptions } from 'socket.io'
import type { Auth } from '../auth/create-auth.ts'
import { resolveViewer, type Viewer } from '../auth/viewer.ts'
import type { Database } from '../db/schema.ts'
import type { Logger } from '../lib/logger.ts'
import { createCoalescedEmitter } from './coalesced-emitter.ts'
import type { AdminAlertPublisher } from '../notifications/notification-deps.ts'
import type { PhoneNumberPublisher } from './publisher.ts'

interface SocketData {
  viewer: Viewer
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>

export const adminRoom = 'admins'

/**
 * The admins' charts only need to know that the figures moved (the page refetches, throttled to one request per
 * 2 s), so a burst of changes is told to them at most once per this interval per process: the first at once, the
 * rest folded into one trailing event. One event per number would double the cross-process messages (a NOTIFY each
 * on the Postgres adapter) on the webhook path for nothing.
 */
export const adminEventIntervalMs = 1_000
export const organizationRoom = (organizationId: string) => `org:${organizationId}`

function headersOf(request: { headers: Record<string, string | string[] | undefined> }): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value)
    else if (Array.isArray(value)) headers.set(name, value.join(', '))
  }
  return headers
}

/**
 * Socket.IO on the HTTP server Hono runs on (or detached, in a worker that only emits through the adapter).
 * The handshake is authenticated by the session cookie; a socket joins its organisation's room and, for
 * platform admins, the admins' room. Browsers only listen.
 */
export function createRealtimeServer(input: {
  httpServer: HttpServer | null
  auth: Auth
  db: Kysely<Database>
  logger: Logger
  adapter?: ServerOptions['adapter']
}): { io: RealtimeServer; publisher: PhoneNumberPublisher; alertPublisher: AdminAlertPublisher } {
  const options: Partial<ServerOptions> = {
    path: '/socket.io',
    serveClient: false,
    // A browser that was briefly away gets the events it missed replayed; otherwise it refetches.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true },
    ...(input.adapter ? { adapter: input.adapter } : {}),
  }
  const io: RealtimeServer = input.httpServer ? new Server(input.httpServer, options) : new Server(options)

  io.use((socket, next) => {
    resolveViewer(input.auth, input.db, headersOf(socket.request))
      .then((viewer) => {
        if (!viewer) return next(new Error('unauthorized'))
        socket.data.viewer = viewer
        next()
      })
      .catch((error: unknown) => {
        input.logger.warn({ err: error }, 'socket handshake failed')
        next(new Error('unavailable'))
      })
  })

  io.on('connection', (socket) => {
    const { viewer } = socket.data
    void socket.join(organizationRoom(viewer.organizationId))
    if (viewer.isPlatformAdmin) void socket.join(adminRoom)
  })

  const tellAdmins = createCoalescedEmitter<ProvisioningStatsChange>(adminEventIntervalMs, (change) =>
    io.to(adminRoom).emit('provisioning-stats:changed', change),
  )

  const publisher: PhoneNumberPublisher = {
    phoneNumberUpdated: (organizationId, phoneNumber) => {
      io.to(organizationRoom(organizationId)).emit('phone-number:updated', phoneNumber)
      tellAdmins({
        organizationId,
        phoneNumberId: phoneNumber.id,
        status: phoneNumber.status,
        at: phoneNumber.updatedAt,
      })
    },
  }
  const alertPublisher: AdminAlertPublisher = {
    alertChanged: (alert) => io.to(adminRoom).emit('admin-alert:changed', alert),
  }
  return { io, publisher, alertPublisher }
}
