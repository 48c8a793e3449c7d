import { access, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { createDatabase } from './create-database.ts'

describe('the embedded database on disk', () => {
  const dirs: string[] = []
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
  })

  it('is created by a child process on first start, opens with a small buffer cache, and keeps its data', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dialtone-pglite-'))
    dirs.push(dataDir)
    const first = await createDatabase({ kind: 'pglite', dataDir })
    try {
      await access(path.join(dataDir, 'pglite', 'PG_VERSION'))
      const buffers = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(first.db)
      expect(buffers.rows[0]?.shared_buffers).toBe('16MB')
      await sql`create table kept (value text)`.execute(first.db)
      await sql`insert into kept values ('still here')`.execute(first.db)
    } finally {
      await first.close()
    }
    const reopened = await createDatabase({ kind: 'pglite', dataDir })
    try {
      const kept = await sql<{ value: string }>`select value from kept`.execute(reopened.db)
      expect(kept.rows).toEqual([{ value: 'still here' }])
    } finally {
      await reopened.close()
    }
  }, 180_000)
})
