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

/** A viewer with the session they hold: a socket keeps these to end itself with the session. */
export interface ViewerSession {
  viewer: Viewer
  sessionId: string
  expiresAt: Date
}

/**
 * Who holds the session these headers carry, or null (no session, expired, banned, or no organisation left).
 * `refresh: false` reads the session without extending it (a socket's checks must not keep a session alive).
 */
export async function resolveViewerSession(
  auth: Auth,
  db: Kysely<Database>,
  headers: Headers,
  options: { refresh?: boolean } = {},
): Promise<ViewerSession | null> {
  const session = await auth.api.getSession({
    headers,
    ...(options.refresh === false ? { query: { disableRefresh: true } } : {}),
  })
  if (!session) return null
  // A ban ends every session at once (account-admin-repository.ts); this also covers a session created in between.
  if (session.user.banned === true) return null
  const active = session.session.activeOrganizationId
  const organizationId =
    active && (await isMemberOf(db, session.user.id, active))
      ? active
      : await findFirstOrganizationIdOfUser(db, session.user.id)
  if (!organizationId) return null
  return {
    viewer: {
      userId: session.user.id,
      email: session.user.email,
      name: session.user.name,
      organizationId,
      isPlatformAdmin: session.user.role === 'admin',
    },
    sessionId: session.session.id,
    expiresAt: new Date(session.session.expiresAt),
  }
}

export async function resolveViewer(auth: Auth, db: Kysely<Database>, headers: Headers): Promise<Viewer | null> {
  return (await resolveViewerSession(auth, db, headers))?.viewer ?? null
}
