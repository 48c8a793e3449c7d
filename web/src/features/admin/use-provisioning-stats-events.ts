import { useEffect } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { socketEvents } from '@dialtone/shared/socket-events'
import { getSocket } from '../../realtime/socket.ts'
import { adminQueryKeys } from './admin-query-keys.ts'

/** At most one refetch per this many milliseconds, however many numbers change at once. */
export const statsRefreshIntervalMs = 2_000

/**
 * The admins' room hears about every number that changes in any organisation. Each event only says "the figures
 * moved", so the statistics are fetched again, throttled: the first change refetches at once, a burst after it
 * is folded into one trailing refetch.
 */
export function useProvisioningStatsEvents(): void {
  const queryClient = useQueryClient()

  useEffect(() => {
    const socket = getSocket()
    let lastRefreshAt = 0
    let trailing: ReturnType<typeof setTimeout> | null = null

    const refresh = () => {
      lastRefreshAt = Date.now()
      void queryClient.invalidateQueries({ queryKey: adminQueryKeys.stats() })
    }
    const handleChanged = () => {
      if (trailing) return
      const wait = lastRefreshAt + statsRefreshIntervalMs - Date.now()
      if (wait <= 0) refresh()
      else
        trailing = setTimeout(() => {
          trailing = null
          refresh()
        }, wait)
    }
    // After a connection that could not be recovered, events were missed.
    const handleConnect = () => {
      if (!socket.recovered) refresh()
    }

    socket.on(socketEvents.provisioningStatsChanged, handleChanged)
    socket.on('connect', handleConnect)
    return () => {
      socket.off(socketEvents.provisioningStatsChanged, handleChanged)
      socket.off('connect', handleConnect)
      if (trailing) clearTimeout(trailing)
    }
  }, [queryClient])
}
