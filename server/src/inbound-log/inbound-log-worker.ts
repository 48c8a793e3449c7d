import { startBackgroundLoop, type BackgroundLoop } from '../lib/background-loop.ts'
import type { InboundLogDeps } from './inbound-log-deps.ts'
import { pruneInboundMessages } from './inbound-message-repository.ts'

const pruneBatchSize = 5_000

/**
 * Forgets logged messages older than the retention (WEBHOOK_LOG_RETENTION_DAYS). A full batch means more are due:
 * the next round starts at once; otherwise it sleeps. Every worker process may run it; the deletes do not collide.
 */
export function startInboundLogPruner(
  deps: Pick<InboundLogDeps, 'db' | 'clock' | 'logger'>,
  options: { retentionMs: number; everyMs?: number },
): BackgroundLoop {
  const everyMs = options.everyMs ?? 10 * 60_000
  return startBackgroundLoop({
    idleMs: everyMs,
    round: async () => {
      const olderThan = new Date(deps.clock.now().getTime() - options.retentionMs)
      const pruned = await pruneInboundMessages(deps.db, { olderThan, batchSize: pruneBatchSize })
      if (pruned > 0) deps.logger.info({ pruned, olderThan }, 'inbound webhook log: pruned old messages')
      return pruned === pruneBatchSize ? 0 : everyMs
    },
    onError: (error) => deps.logger.warn({ err: error }, 'inbound webhook log: pruning failed; trying again later'),
  })
}
