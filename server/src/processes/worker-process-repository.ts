import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../db/schema.ts'

/** How often a process says it is alive. */
export const heartbeatEveryMs = 2_000
/**
 * A process silent this long is taken for dead and its claims for abandoned. Five missed beats: a process that is
 * only slow (a long pause, a slow database) for longer may see a claim taken over, and then the claim token keeps
 * it from recording its outcome; the receiver may see that delivery twice, under the same id.
 */
export const deadAfterSeconds = 10
/** Rows of processes gone this long are removed. */
const forgottenAfterSeconds = 3_600

/** Registers a process (at start, before its workers claim anything); the database's clock is the only clock used. */
export async function registerWorkerProcess(db: Kysely<Database>, id: string): Promise<void> {
  await db
    .insertInto('worker_process')
    .values({ id })
    .onConflict((conflict) => conflict.column('id').doUpdateSet({ heartbeat_at: sql`now()` }))
    .execute()
}

/** One heartbeat; also forgets processes long gone. A process whose row was removed meanwhile registers again. */
export async function beatWorkerProcess(db: Kysely<Database>, id: string): Promise<void> {
  const updated = await db
    .updateTable('worker_process')
    .set({ heartbeat_at: sql`now()` })
    .where('id', '=', id)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) === 0) await registerWorkerProcess(db, id)
  await db
    .deleteFrom('worker_process')
    .where('heartbeat_at', '<', sql<Date>`now() - make_interval(secs => ${forgottenAfterSeconds})`)
    .execute()
}

/** A clean stop: claims this process still holds (none, after its workers stopped) are free at once. */
export async function leaveWorkerProcess(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('worker_process').where('id', '=', id).execute()
}

/**
 * For the queues' claim statements: the claim in `claimedBy` is held by a process that is no longer alive (it
 * stopped beating, or left). A null holder is not abandoned: it is unclaimed, and due by its own time.
 */
export function claimHolderIsGone(claimedBy: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`(${claimedBy} is not null and not exists (
    select 1 from worker_process alive
    where alive.id = ${claimedBy} and alive.heartbeat_at > now() - make_interval(secs => ${deadAfterSeconds})
  ))`
}
