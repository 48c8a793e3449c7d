import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { startBackgroundLoop } from '../lib/background-loop.ts'
import type { Logger } from '../lib/logger.ts'
import {
  beatWorkerProcess,
  heartbeatEveryMs,
  leaveWorkerProcess,
  registerWorkerProcess,
} from './worker-process-repository.ts'

export interface ProcessHeartbeat {
  /** This process's id, written beside every claim its workers make. */
  processId: string
  /** Stops beating and leaves, so whatever it still held is taken over at once. */
  stop(): Promise<void>
}

/**
 * Registers this process and keeps it alive in the database, so queues can tell a claim of a process that died
 * (SIGKILL, a lost machine) from one still being worked on, and take it over without waiting out its lease.
 */
export async function startProcessHeartbeat(
  db: Kysely<Database>,
  processId: string,
  logger: Logger,
): Promise<ProcessHeartbeat> {
  await registerWorkerProcess(db, processId)
  const loop = startBackgroundLoop({
    round: async () => {
      await beatWorkerProcess(db, processId)
      return heartbeatEveryMs
    },
    idleMs: heartbeatEveryMs,
    onError: (error) => logger.warn({ err: error }, 'process heartbeat failed'),
  })
  return {
    processId,
    stop: async () => {
      await loop.stop()
      await leaveWorkerProcess(db, processId).catch((error: unknown) =>
        logger.warn({ err: error }, 'could not leave the process list'),
      )
    },
  }
}
