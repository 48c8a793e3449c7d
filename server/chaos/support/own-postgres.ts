import { execFile } from 'node:child_process'
import { chmod, chown, mkdtemp, readdir, rm } from 'node:fs/promises'
import { userInfo } from 'node:os'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { findFreePort } from '../../test/support/cluster-client.ts'

const run = promisify(execFile)

/**
 * A Postgres cluster of the scenario's own, in a temporary directory, from the machine's PostgreSQL binaries
 * (initdb, pg_ctl). It can be crashed (`pg_ctl stop -m immediate`: no checkpoint, the server's processes are
 * killed at once, as a power cut would leave the data directory apart from the OS cache) and started again on
 * the same directory, which then replays its write-ahead log. The shared server on 5432 is never touched.
 */
export interface OwnPostgres {
  host: string
  port: number
  dataDir: string
  /** postgres://postgres@127.0.0.1:<port>/postgres: where scratch databases are created. */
  url: string
  crash(): Promise<void>
  start(): Promise<void>
  isReady(): Promise<boolean>
  close(): Promise<void>
}

async function findBinDir(): Promise<string> {
  const root = '/usr/lib/postgresql'
  const versions = (await readdir(root)).sort((a, b) => Number(b) - Number(a))
  const version = versions[0]
  if (!version) throw new Error(`no PostgreSQL under ${root}: install the postgresql package`)
  return path.join(root, version, 'bin')
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const binDir = await findBinDir()
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dialtone-own-pg-'))
  const port = await findFreePort()
  // initdb refuses to run as root: as root, the cluster belongs to the postgres user.
  const asRoot = userInfo().uid === 0
  const postgresUser = asRoot ? await run('id', ['-u', 'postgres']).then((out) => Number(out.stdout.trim())) : null
  const postgresGroup = asRoot ? await run('id', ['-g', 'postgres']).then((out) => Number(out.stdout.trim())) : null
  if (asRoot && postgresUser !== null && postgresGroup !== null) {
    await chown(dataDir, postgresUser, postgresGroup)
    await chmod(dataDir, 0o700)
  }
  const tool = (name: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(binDir, name), ...args], { timeout: 120_000 })
      : run(path.join(binDir, name), args, { timeout: 120_000 })

  await tool('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-instructions', '-E', 'UTF8'])
  // fsync stays on (the default): the crash must meet the durability a real deployment has.
  const serverOptions = [
    `-p ${port}`,
    `-k ${dataDir}`,
    `-c listen_addresses=127.0.0.1`,
    `-c max_connections=60`,
    `-c shared_buffers=32MB`,
  ].join(' ')
  const start = async () => {
    await tool('pg_ctl', ['-D', dataDir, '-o', serverOptions, '-l', path.join(dataDir, 'server.log'), '-w', 'start'])
  }
  await start()
  const host = '127.0.0.1'
  return {
    host,
    port,
    dataDir,
    url: `postgres://postgres@${host}:${port}/postgres`,
    crash: async () => {
      await tool('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop'])
    },
    start,
    isReady: async () => {
      try {
        await run(path.join(binDir, 'pg_isready'), ['-h', host, '-p', String(port), '-q'])
        return true
      } catch {
        return false
      }
    },
    close: async () => {
      await tool('pg_ctl', ['-D', dataDir, '-m', 'fast', 'stop']).catch(() => undefined)
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
