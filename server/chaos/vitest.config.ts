import path from 'node:path'
import { defineConfig } from 'vitest/config'

// The long reliability suite (`pnpm test:chaos`): real server processes, one scenario at a time, since each
// one loads the machine on purpose. The root vitest.config.ts includes only src/, so `pnpm test` never runs it.
export default defineConfig({
  test: {
    root: path.resolve(import.meta.dirname, '..'),
    include: ['chaos/**/*.test.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 5 * 60_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
})
