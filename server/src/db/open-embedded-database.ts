import { mkdir, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { embeddedPgliteStartParams, initializePgliteDataDir } from './pglite-memory.ts'

/** The embedded database's directory cannot be opened; dialtone refuses rather than start an empty one. */
export class DamagedDataDirError extends Error {
  override name = 'DamagedDataDirError'
  constructor(
    readonly pgliteDir: string,
    readonly reason: string,
  ) {
    super(
      `The embedded database in ${pgliteDir} cannot be opened: ${reason}. dialtone will not start on it, nor start ` +
        `an empty database in its place. Restore your last backup with \`pnpm db:restore <file>\` (the damaged ` +
        `directory is kept aside, not deleted). With no backup, move ${pgliteDir} away to start empty.`,
    )
  }
}

async function listOrNull(directory: string): Promise<string[] | null> {
  try {
    return await readdir(directory)
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null
    throw error
  }
}

const isFile = (file: string) =>
  stat(file).then(
    (stats) => stats.isFile() && stats.size > 0,
    () => false,
  )

/**
 * 'new' when there is nothing yet (PGlite will initialise it); 'initialised' when the markers every complete
 * Postgres directory has are there. A directory with files but without them is a first start that was cut short
 * or a damaged copy: refused, never initialised over.
 */
export async function inspectPgliteDir(pgliteDir: string): Promise<'new' | 'initialised'> {
  const entries = await listOrNull(pgliteDir)
  if (entries === null || entries.length === 0) return 'new'
  const missing: string[] = []
  for (const marker of ['PG_VERSION', path.join('global', 'pg_control')]) {
    if (!(await isFile(path.join(pgliteDir, marker)))) missing.push(marker)
  }
  if (missing.length > 0) {
    throw new DamagedDataDirError(pgliteDir, `it holds files but not ${missing.join(' or ')}`)
  }
  return 'initialised'
}

/**
 * Opens PGlite on a directory after inspecting it. relaxedDurability stays off: each query's writes reach the
 * file system before its answer. PGlite's Node file system writes straight through to the operating system (no
 * fsync), so a killed process loses nothing the kernel has, but a power cut or kernel crash can.
 */
export async function openPglite(pgliteDir: string, options: { loadDataDir?: Blob } = {}): Promise<PGlite> {
  const state = await inspectPgliteDir(pgliteDir)
  if (options.loadDataDir && state !== 'new') throw new Error(`${pgliteDir} already holds a database`)
  // A first start creates the cluster in a short-lived child process (initdb in WebAssembly leaves ~450 MB behind
  // in whichever process runs it; docs/performance.md "Memory"), so this process only ever opens a directory.
  if (state === 'new' && !options.loadDataDir) {
    await mkdir(pgliteDir, { recursive: true })
    await initializePgliteDataDir(pgliteDir)
  }
  // Loaded only for the embedded database: a server on Postgres never needs PGlite's module in memory.
  const { PGlite } = await import('@electric-sql/pglite')
  let client: PGlite | null = null
  try {
    client = new PGlite({
      dataDir: pgliteDir,
      relaxedDurability: false,
      startParams: embeddedPgliteStartParams,
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    })
    await client.waitReady
    await client.query('select 1')
    return client
  } catch (error) {
    if (client && !client.closed) await client.close().catch(() => {})
    const reason = error instanceof Error ? error.message : String(error)
    throw new DamagedDataDirError(pgliteDir, `PGlite failed to start (${reason})`)
  }
}
