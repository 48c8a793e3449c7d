import { execFile } from 'node:child_process'
import { access } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'

/**
 * PGlite's own defaults plus a smaller buffer cache for the embedded database on disk. One process serves one
 * small team's data from it; Postgres's 128 MB default was most of the idle process (288 MB → 177 MB on reopen,
 * measured: docs/performance.md, "Memory").
 */
export const embeddedPgliteStartParams = [
  '--single',
  '-F',
  '-O',
  '-j',
  '-c',
  'search_path=public',
  '-c',
  'exit_on_error=false',
  '-c',
  'log_checkpoints=false',
  '-c',
  'max_worker_processes=0',
  '-c',
  'max_parallel_workers=0',
  '-c',
  'max_parallel_workers_per_gather=0',
  '-c',
  'shared_buffers=16MB',
]

const run = promisify(execFile)

/**
 * Creating a PGlite data directory runs initdb in WebAssembly, which leaves ~450 MB (its module and memory) that
 * the process never gets back. On a first start that work runs in a short-lived child process instead, so the
 * server itself only ever opens an existing directory. Nothing happens when the directory already holds a cluster.
 */
export async function initializePgliteDataDir(dataDir: string): Promise<void> {
  const exists = await access(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  )
  if (exists) return
  const script = `const { PGlite } = await import(process.argv[1])
const client = new PGlite({ dataDir: process.argv[2], startParams: JSON.parse(process.argv[3]) })
await client.waitReady
await client.close()`
  await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      script,
      import.meta.resolve('@electric-sql/pglite'),
      dataDir,
      JSON.stringify(embeddedPgliteStartParams),
    ],
    { timeout: 120_000 },
  )
}
