import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { Auth } from './create-auth.ts'
import { grantPlatformAdmin } from './organization-repository.ts'

export const demoAccounts = {
  owner: { name: 'Demo Owner', email: 'owner@dialtone.local', password: 'dialtone-demo' },
  admin: { name: 'Demo Admin', email: 'admin@dialtone.local', password: 'dialtone-admin' },
} as const

/**
 * Only for the sandbox on the embedded database (a machine-local playground): an owner and an admin to sign
 * in with at once. main.ts never calls this with a real Vapi key or a Postgres server.
 */
export async function ensureDemoAccounts(auth: Auth, db: Kysely<Database>): Promise<void> {
  for (const account of [demoAccounts.owner, demoAccounts.admin]) {
    const existing = await db.selectFrom('user').select('id').where('email', '=', account.email).executeTakeFirst()
    if (!existing) await auth.api.signUpEmail({ body: { ...account } })
  }
  await grantPlatformAdmin(db, demoAccounts.admin.email)
}
