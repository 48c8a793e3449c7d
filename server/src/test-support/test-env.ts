// Tests read their own settings here (the server reads only env.ts).
export const testDatabaseUrl: string | undefined = process.env.TEST_DATABASE_URL || undefined
