import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter'
import type pg from 'pg'
import type { ServerOptions } from 'socket.io'
import type { Logger } from '../lib/logger.ts'

export interface SocketAdapter {
  adapter: ServerOptions['adapter']
  kind: 'redis' | 'postgres'
  close(): Promise<void>
}

/**
 * How events reach browsers connected to other processes: Redis when REDIS_URL is set, otherwise the Postgres
 * the processes already share (LISTEN/NOTIFY). On the embedded database there is one process and no adapter.
 */
export async function createSocketAdapter(input: {
  redisUrl: string | undefined
  pool: pg.Pool | null
  logger: Logger
}): Promise<SocketAdapter | null> {
  if (input.redisUrl) {
    // Loaded only with REDIS_URL: the Redis client and adapter are ~25 MB of an idle process that never uses them.
    const [{ createClient }, { createAdapter: createRedisAdapter }] = await Promise.all([
      import('redis'),
      import('@socket.io/redis-adapter'),
    ])
    const publisher = createClient({ url: input.redisUrl })
    const subscriber = publisher.duplicate()
    publisher.on('error', (error: unknown) => input.logger.warn({ err: error }, 'redis publisher error'))
    subscriber.on('error', (error: unknown) => input.logger.warn({ err: error }, 'redis subscriber error'))
    await Promise.all([publisher.connect(), subscriber.connect()])
    return {
      kind: 'redis',
      adapter: createRedisAdapter(publisher, subscriber),
      close: async () => {
        await Promise.allSettled([publisher.quit(), subscriber.quit()])
      },
    }
  }
  if (input.pool) {
    return {
      kind: 'postgres',
      adapter: createPostgresAdapter(input.pool, {
        errorHandler: (error: Error) => input.logger.warn({ err: error }, 'socket.io postgres adapter error'),
      }),
      close: async () => {},
    }
  }
  return null
}
