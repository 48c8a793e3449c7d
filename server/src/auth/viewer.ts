import type { Auth } from './create-auth.ts'
import { findFirstMembershipOfUser, findMembership } from './organization-repository.ts'
import { permissionsOfRole, roleOf, type Actor, type OrganizationRole, type Permission } from './permissions.ts'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/**
 * Who is asking: the signed-in user (or the person whose API key a program uses), the organisation they act for,
 * their role and permissions in it, and whether they administer the platform.
 */
export interface Viewer {
  userId: string
  email: string
  name: string
  organizationId: string
  isPlatformAdmin: boolean
  /** The role in `organizationId` (a program acting through a key carries its creator's role, capped by scopes). */
  role: OrganizationRole
  /** What this viewer may do in `organizationId`: the role's permissions, or an API key's scopes. */
  permissions: ReadonlySet<Permission>
  /** Who the audit log names: the person, or the API key a program used. */
  actor: Actor
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
  const membership =
    (active ? await findMembership(db, session.user.id, active) : null) ??
    (await findFirstMembershipOfUser(db, session.user.id))
  if (!membership) return null
  const role = roleOf(membership.role)
  return {
    viewer: {
      userId: session.user.id,
      email: session.user.email,
      name: session.user.name,
      organizationId: membership.organizationId,
      isPlatformAdmin: session.user.role === 'admin',
      role,
      permissions: permissionsOfRole(role),
      actor: { type: 'user', id: session.user.id, label: session.user.email },
    },
    sessionId: session.session.id,
    expiresAt: new Date(session.session.expiresAt),
  }
}

export async function resolveViewer(auth: Auth, db: Kysely<Database>, headers: Headers): Promise<Viewer | null> {
  return (await resolveViewerSession(auth, db, headers))?.viewer ?? null
}
