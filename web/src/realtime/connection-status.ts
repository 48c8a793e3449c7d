import { useSyncExternalStore } from 'react'
import { getSocket } from './socket.ts'

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline'

let hasConnectedSinceStart = false

function readConnectionStatus(): ConnectionStatus {
  if (!navigator.onLine) return 'offline'
  const socket = getSocket()
  if (socket.connected) {
    hasConnectedSinceStart = true
    return 'live'
  }
  // `active` is false only after a deliberate disconnect (sign-out) or a refused handshake: start afresh.
  if (!socket.active) hasConnectedSinceStart = false
  return hasConnectedSinceStart ? 'reconnecting' : 'connecting'
}

function subscribe(onChange: () => void): () => void {
  const socket = getSocket()
  socket.on('connect', onChange)
  socket.on('disconnect', onChange)
  socket.on('connect_error', onChange)
  socket.io.on('reconnect_attempt', onChange)
  window.addEventListener('online', onChange)
  window.addEventListener('offline', onChange)
  return () => {
    socket.off('connect', onChange)
    socket.off('disconnect', onChange)
    socket.off('connect_error', onChange)
    socket.io.off('reconnect_attempt', onChange)
    window.removeEventListener('online', onChange)
    window.removeEventListener('offline', onChange)
  }
}

export function useConnectionStatus(): ConnectionStatus {
  return useSyncExternalStore(subscribe, readConnectionStatus)
}
