import type { Auth } from './create-auth.ts'
import { findFirstOrganizationIdOfUser, isMemberOf } from './organization-repository.ts'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/** Who is asking: the signed-in user, the organisation they act for, and whether they administer the platform. */
export interface Viewer {
  userId: string
  email: string
  name: string
  organizationId: string
  isPlatformAdmin: boolean
}

export async function resolveViewer(auth: Auth, db: Kysely<Database>, headers: Headers): Promise<Viewer | null> {
  const session = await auth.api.getSession({ headers })
  if (!session) return null
  const active = session.session.activeOrganizationId
  const organizationId =
    active && (await isMemberOf(db, session.user.id, active))
      ? active
      : await findFirstOrganizationIdOfUser(db, session.user.id)
  if (!organizationId) return null
  return {
    userId: session.user.id,
    email: session.user.email,
    name: session.user.name,
    organizationId,
    isPlatformAdmin: session.user.role === 'admin',
  }
}
