import path from 'node:path'

// The chaos suite's settings (only env.ts reads process.env in the server; tests read theirs here).

/** How long the load test holds its traffic; the other scenarios scale their bursts from it. CI shortens it. */
export const chaosSeconds = Math.max(5, Number(process.env.CHAOS_SECONDS ?? 120) || 120)

/** A Postgres server where scratch databases can be created (and dropped again). */
export const chaosDatabaseUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'

/** Sockets the load test keeps connected. */
export const chaosSockets = Math.max(10, Number(process.env.CHAOS_SOCKETS ?? 200) || 200)

/** Where each scenario writes its JSON summary. */
export const chaosResultsDir = process.env.CHAOS_RESULTS_DIR || path.resolve(import.meta.dirname, '../results')

/** How long the soak holds its mixed traffic: 30 minutes for the record (SOAK_SECONDS=1800), twice the load in CI. */
export const soakSeconds = Math.max(20, Number(process.env.SOAK_SECONDS ?? chaosSeconds * 2) || chaosSeconds * 2)
