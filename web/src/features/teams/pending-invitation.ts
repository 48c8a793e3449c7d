// Kept apart from the invitation page (which loads when opened), so signing in does not pull the page in.

/** Where a signed-out visitor's invitation link is kept while they sign in or sign up. */
export const pendingInvitationKey = 'dialtone.pending-invitation'

export function rememberInvitationPath(pathname: string): void {
  sessionStorage.setItem(pendingInvitationKey, pathname)
}

/** The invitation link opened before signing in, once (it is forgotten as it is read). */
export function takePendingInvitationPath(): `/invitations/${string}` | null {
  const path = sessionStorage.getItem(pendingInvitationKey)
  sessionStorage.removeItem(pendingInvitationKey)
  return path?.startsWith('/invitations/') ? (path as `/invitations/${string}`) : null
}
