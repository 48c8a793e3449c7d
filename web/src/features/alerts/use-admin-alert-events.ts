import { useEffect } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { socketEvents } from '@dialtone/shared/socket-events'
import { getSocket } from '../../realtime/socket.ts'
import { alertQueryKeys } from './alert-query-keys.ts'

/** An alert opened or closed (the admins' room): the open alerts and the history are fetched again. */
export function useAdminAlertEvents(isEnabled: boolean): void {
  const queryClient = useQueryClient()
  useEffect(() => {
    if (!isEnabled) return
    const socket = getSocket()
    const refresh = () => void queryClient.invalidateQueries({ queryKey: alertQueryKeys.all })
    const handleConnect = () => {
      if (!socket.recovered) refresh()
    }
    socket.on(socketEvents.adminAlertChanged, refresh)
    socket.on('connect', handleConnect)
    return () => {
      socket.off(socketEvents.adminAlertChanged, refresh)
      socket.off('connect', handleConnect)
    }
  }, [isEnabled, queryClient])
}
