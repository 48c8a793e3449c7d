/**
 * The routes of Better Auth that dialtone offers, and why. Everything else the library mounts under /api/auth
 * answers 404 before the library sees the request (see auth-routes.ts): the organisation plugin's routes but
 * set-active (dialtone gives every owner one organisation, runs its own rules for deleting it, and its own
 * /api/members and /api/invitations routes for teams: decision 0012), the admin plugin's routes (dialtone's
 * admins act through /api/admin, with an audit trail), OAuth, e-mail verification and password reset (not
 * configured), account deletion and session management beyond signing out.
 */
export const offeredAuthRoutes = [
  { method: 'POST', path: '/sign-up/email', why: 'CONTRACT.md: a new owner with a new organisation' },
  { method: 'POST', path: '/sign-in/email', why: 'CONTRACT.md: the web app signs in with email and password' },
  { method: 'POST', path: '/sign-out', why: 'CONTRACT.md: ends the session and disconnects its sockets' },
  { method: 'GET', path: '/get-session', why: 'CONTRACT.md: the web app asks who is signed in' },
  {
    method: 'POST',
    path: '/change-password',
    why: 'an owner changes their password; other sessions end unless they ask to keep them',
  },
  {
    method: 'POST',
    path: '/organization/set-active',
    why: 'the header’s organisation switcher: a person who belongs to several organisations acts for one at a time (the library checks membership; the session’s sockets reconnect to the new one)',
  },
] as const

export type OfferedAuthRoute = (typeof offeredAuthRoutes)[number]

/** `path` is relative to /api/auth (e.g. "/sign-in/email"). */
export function isOfferedAuthRoute(method: string, path: string): boolean {
  return offeredAuthRoutes.some((route) => route.method === method && route.path === path)
}
