// Tests read their own settings here (the server reads only env.ts).
export const testDatabaseUrl: string | undefined = process.env.TEST_DATABASE_URL || undefined
/** With Redis, the Socket.IO Redis adapter is tested across processes as well. */
export const testRedisUrl: string | undefined = process.env.TEST_REDIS_URL || undefined
/** The only variable a spawned server inherits from the caller: where node and pnpm are found. */
export const inheritedPath: string = process.env.PATH ?? ''
