import type { Server as HttpServer } from 'node:http'
import type {
  ClientToServerEvents,
  ProvisioningStatsChange,
  ServerToClientEvents,
} from '@dialtone/shared/socket-events'
import type { Kysely } from 'kysely'
import { Server, type ServerOptions } from 'socket.io'
import type { Auth } from '../auth/create-auth.ts'
import { resolveViewerSession, type ViewerSession } from '../auth/viewer.ts'
import type { Database } from '../db/schema.ts'
import { isAllowedOrigin } from '../lib/allowed-origins.ts'
import type { Logger } from '../lib/logger.ts'
import { createCoalescedEmitter } from './coalesced-emitter.ts'
import type { AdminAlertPublisher } from '../notifications/notification-deps.ts'
import type { PhoneNumberPublisher } from './publisher.ts'
import type { ApiKeyDeps } from '../api-keys/api-key-deps.ts'
import { authenticateApiKey, bearerTokenOf } from '../api-keys/authenticate-api-key.ts'

type SocketData = ViewerSession

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
/** Every socket of one user, and of one session: how sockets are found on every process to end them. */
export const userRoom = (userId: string) => `user:${userId}`
export const sessionRoom = (sessionId: string) => `session:${sessionId}`
/** A program's socket stands for its API key the way a browser's stands for its session: revoking ends it. */
export const apiKeySocketSession = (apiKeyId: string) => `api-key:${apiKeyId}`
/** A key without an expiry is looked at again this often anyway (the timer needs a date). */
const apiKeyRecheckMs = 60 * 60 * 1000

/**
 * Ends sockets whose right to listen ended, on every process (the adapter carries the request): a session that
 * was signed out or revoked, and every socket of a user who was banned, promoted or demoted, or removed from an
 * organisation. A disconnected browser connects again if it is still signed in, and then gets the rooms its
 * session gives it now.
 */
export interface SocketRevocation {
  sessionEnded(sessionId: string): void
  userChanged(userId: string): void
}

/** For apps and tests without a realtime server. */
export const noSocketRevocation: SocketRevocation = { sessionEnded: () => {}, userChanged: () => {} }

/** setTimeout's longest delay (about 24.8 days); a later expiry is looked at again then. */
const maxTimerMs = 2 ** 31 - 1
/** A session is looked at just after it expires, so the check sees it expired. */
const expiryMarginMs = 50
/** When the database cannot answer the check, it is tried again this much later. */
const sessionCheckRetryMs = 5_000

function roomsOf(data: SocketData): string[] {
  const rooms = [
    userRoom(data.viewer.userId),
    sessionRoom(data.sessionId),
    organizationRoom(data.viewer.organizationId),
  ]
  if (data.viewer.isPlatformAdmin) rooms.push(adminRoom)
  return rooms
}

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
  /** Browsers from other origins are refused at the handshake, before the cookie is looked at. */
  allowedOrigins: readonly string[]
  /** Programs may connect with an API key (`auth: { token }` or `Authorization: Bearer`); none: cookies only. */
  apiKeys?: ApiKeyDeps
}): {
  io: RealtimeServer
  publisher: PhoneNumberPublisher
  revocation: SocketRevocation
  alertPublisher: AdminAlertPublisher
} {
  const options: Partial<ServerOptions> = {
    path: '/socket.io',
    serveClient: false,
    // A browser that was briefly away gets the events it missed replayed; otherwise it refetches. The session is
    // checked again on the way back (the middleware runs): a revoked cookie does not recover anything.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
    ...(input.adapter ? { adapter: input.adapter } : {}),
    // A page on another site may open a WebSocket here with the visitor's cookie (cross-site WebSocket hijacking).
    allowRequest: (request, callback) => callback(null, isAllowedOrigin(input.allowedOrigins, request.headers.origin)),
  }
  const io: RealtimeServer = input.httpServer ? new Server(input.httpServer, options) : new Server(options)

  // A socket's checks read the session without extending it: only the browser's own requests keep it alive.
  // A program's key (handshake auth.token, or the Authorization header) is the socket's only credential; a
  // refused key is refused outright, never retried as a cookie.
  const resolve = async (socket: {
    request: { headers: Record<string, string | string[] | undefined> }
    handshake: { auth: Record<string, unknown> }
  }): Promise<ViewerSession | null> => {
    const headers = headersOf(socket.request)
    const token =
      typeof socket.handshake.auth.token === 'string'
        ? socket.handshake.auth.token
        : bearerTokenOf(headers.get('authorization'))
    if (input.apiKeys && token !== null) {
      const result = await authenticateApiKey(input.apiKeys, token)
      if (!result.ok) return null
      const { viewer, apiKeyId, expiresAt } = result.found
      return {
        viewer,
        sessionId: apiKeySocketSession(apiKeyId),
        expiresAt: expiresAt ?? new Date(input.apiKeys.clock.now().getTime() + apiKeyRecheckMs),
      }
    }
    return resolveViewerSession(input.auth, input.db, headers, { refresh: false })
  }

  io.use((socket, next) => {
    resolve(socket)
      .then((found) => {
        if (!found) return next(new Error('unauthorized'))
        socket.data = found
        next()
      })
      .catch((error: unknown) => {
        input.logger.warn({ err: error }, 'socket handshake failed')
        next(new Error('unavailable'))
      })
  })

  io.on('connection', (socket) => {
    // A recovered connection comes back with the rooms it had; it gets the ones its session gives it now.
    const rooms = roomsOf(socket.data)
    for (const room of socket.rooms) if (room !== socket.id && !rooms.includes(room)) void socket.leave(room)
    void socket.join(rooms)

    // The session's end ends the socket, even when nobody signs out: at its expiry the session is looked at again
    // (a session that was extended meanwhile gets a new timer).
    let expiryTimer: NodeJS.Timeout | undefined
    const watchExpiry = (retryMs?: number) => {
      const untilExpiry = Math.max(0, socket.data.expiresAt.getTime() - Date.now()) + expiryMarginMs
      const delay = Math.min(maxTimerMs, retryMs ?? untilExpiry)
      expiryTimer = setTimeout(() => {
        resolve(socket)
          .then((found) => {
            if (!socket.connected) return
            if (!found || found.sessionId !== socket.data.sessionId) return void socket.disconnect(true)
            socket.data = found
            watchExpiry()
          })
          .catch((error: unknown) => {
            input.logger.warn({ err: error }, 'socket session check failed')
            watchExpiry(sessionCheckRetryMs)
          })
      }, delay)
      expiryTimer.unref()
    }
    watchExpiry()
    socket.on('disconnect', () => clearTimeout(expiryTimer))
  })

  const revocation: SocketRevocation = {
    sessionEnded: (sessionId) => io.in(sessionRoom(sessionId)).disconnectSockets(true),
    userChanged: (userId) => io.in(userRoom(userId)).disconnectSockets(true),
  }

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
    phoneNumberActivity: (organizationId, phoneNumber) => {
      io.to(organizationRoom(organizationId)).emit('phone-number:activity', phoneNumber)
    },
  }
  const alertPublisher: AdminAlertPublisher = {
    alertChanged: (alert) => io.to(adminRoom).emit('admin-alert:changed', alert),
  }
  return { io, publisher, revocation, alertPublisher }
}
