// The cluster tests read their own settings here (the server reads only env.ts).
export const testRedisUrl: string | undefined = process.env.TEST_REDIS_URL || undefined
