import { useEffect } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { authQueryKeys } from '../features/auth/auth-query-keys.ts'
import { getSocket } from './socket.ts'

const refusedHandshakeRetryMs = 3_000

/**
 * Keeps the socket connected while someone is signed in. The handshake carries the session cookie, so a
 * different account in this tab needs a new connection. Socket.IO reconnects by itself after a network or
 * server failure, but not after the server refused the handshake: then the session is checked again and,
 * while it still exists, connecting is retried.
 */
export function useSocketConnection(userId: string | null): void {
  const queryClient = useQueryClient()

  useEffect(() => {
    if (userId === null) return
    const socket = getSocket()
    let retryTimer: ReturnType<typeof setTimeout> | undefined

    function handleConnectError() {
      if (socket.active) return
      void queryClient.invalidateQueries({ queryKey: authQueryKeys.session() })
      clearTimeout(retryTimer)
      retryTimer = setTimeout(() => socket.connect(), refusedHandshakeRetryMs)
    }

    // The server ends a socket whose rights changed (signed out elsewhere, banned, made or unmade an admin, moved
    // to another organisation). Socket.IO does not reconnect by itself then: the session is checked again and,
    // while it still exists, the socket connects again with the rooms the session gives it now.
    function handleDisconnect(reason: string) {
      if (reason === 'io server disconnect') handleConnectError()
    }

    function handleOnline() {
      // Back online: do not wait for the reconnection back-off.
      if (!socket.connected) socket.connect()
    }

    socket.on('connect_error', handleConnectError)
    socket.on('disconnect', handleDisconnect)
    window.addEventListener('online', handleOnline)
    socket.connect()
    return () => {
      clearTimeout(retryTimer)
      socket.off('connect_error', handleConnectError)
      socket.off('disconnect', handleDisconnect)
      window.removeEventListener('online', handleOnline)
      socket.disconnect()
    }
  }, [userId, queryClient])
}
