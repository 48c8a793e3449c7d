import { useEffect } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { phoneNumberSchema } from '@dialtone/shared/phone-number'
import { socketEvents } from '@dialtone/shared/socket-events'
import { getSocket } from '../../realtime/socket.ts'
import { serverInfoQueryKeys } from '../server-info/server-info-query-keys.ts'
import { applyPhoneNumberActivity, applyPhoneNumberUpdate } from './phone-number-cache.ts'
import { phoneNumberQueryKeys } from './phone-number-query-keys.ts'

/**
 * Socket events patch the query cache; nothing else holds phone numbers. After a connection that Socket.IO
 * could not recover (first connect, server restart, a gap longer than the server keeps), events were missed,
 * so the lists are fetched again. After a recovered connection the server has replayed them.
 */
export function usePhoneNumberEvents(): void {
  const queryClient = useQueryClient()

  useEffect(() => {
    const socket = getSocket()

    function handleUpdated(payload: unknown) {
      const parsed = phoneNumberSchema.safeParse(payload)
      if (parsed.success) applyPhoneNumberUpdate(queryClient, parsed.data)
      else void queryClient.invalidateQueries({ queryKey: phoneNumberQueryKeys.all })
    }

    function handleActivity(payload: unknown) {
      const parsed = phoneNumberSchema.safeParse(payload)
      if (parsed.success) applyPhoneNumberActivity(queryClient, parsed.data)
      else void queryClient.invalidateQueries({ queryKey: phoneNumberQueryKeys.all })
    }

    function handleConnect() {
      if (socket.recovered) return
      void queryClient.invalidateQueries({ queryKey: phoneNumberQueryKeys.all })
      // A server that restarted may have changed mode (sandbox or real Vapi).
      void queryClient.invalidateQueries({ queryKey: serverInfoQueryKeys.all })
    }

    function handleOnline() {
      void queryClient.invalidateQueries({ queryKey: phoneNumberQueryKeys.all })
    }

    socket.on(socketEvents.phoneNumberUpdated, handleUpdated)
    socket.on(socketEvents.phoneNumberActivity, handleActivity)
    socket.on('connect', handleConnect)
    window.addEventListener('online', handleOnline)
    return () => {
      socket.off(socketEvents.phoneNumberUpdated, handleUpdated)
      socket.off(socketEvents.phoneNumberActivity, handleActivity)
      socket.off('connect', handleConnect)
      window.removeEventListener('online', handleOnline)
    }
  }, [queryClient])
}
