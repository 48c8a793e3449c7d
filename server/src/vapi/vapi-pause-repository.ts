import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { VapiPauseStore } from './vapi-pause-store.ts'

/** Pauses in the shared database (0010's vapi_account_pause): one row per Vapi account, the later end wins. */
export function createPostgresVapiPauseStore(db: Kysely<Database>, now: () => Date = () => new Date()): VapiPauseStore {
  return {
    async record(accountKey, ms) {
      const until = new Date(now().getTime() + ms)
      await db
        .insertInto('vapi_account_pause')
        .values({ account_key: accountKey, paused_until: until })
        .onConflict((conflict) =>
          conflict
            .column('account_key')
            .doUpdateSet({ paused_until: sql<Date>`greatest(vapi_account_pause.paused_until, excluded.paused_until)` }),
        )
        .execute()
    },
    async pausedForMs(accountKey) {
      const row = await db
        .selectFrom('vapi_account_pause')
        .select('paused_until')
        .where('account_key', '=', accountKey)
        .executeTakeFirst()
      if (!row) return 0
      return Math.max(0, new Date(row.paused_until).getTime() - now().getTime())
    },
  }
}
