import { useMutation, useQuery } from '@tanstack/react-query'
import type { SessionUser } from '../auth/auth-api.ts'
import { isApiError } from '../../lib/api-error.ts'
import { navigate, routes } from '../../lib/router.ts'
import { useSignOut } from '../auth/use-sign-out.ts'
import { acceptInvitation, fetchInvitation } from './teams-api.ts'
import { teamsQueryKeys } from './teams-query-keys.ts'
import { useSwitchOrganization } from './use-switch-organization.ts'
import { rememberInvitationPath } from './pending-invitation.ts'

export function AcceptInvitationPage({ invitationId, user }: { invitationId: string; user: SessionUser }) {
  const invitation = useQuery({
    queryKey: teamsQueryKeys.invitation(invitationId),
    queryFn: () => fetchInvitation(invitationId),
  })
  const switcher = useSwitchOrganization()
  const signOut = useSignOut()
  const accept = useMutation({
    mutationFn: () => acceptInvitation(invitationId),
    onSuccess: (accepted) =>
      switcher.mutate(
        { organizationId: accepted.organization.id, name: accepted.organization.name },
        { onSuccess: () => navigate(routes.home) },
      ),
  })
  const data = invitation.data
  const isForSomeoneElse = data !== undefined && data.email.toLowerCase() !== user.email.toLowerCase()

  return (
    <main id="main" className="page accept-page">
      <section className="panel auth-card" aria-labelledby="accept-title">
        <h1 id="accept-title">Join a team</h1>
        {invitation.isPending && <p className="muted">Looking at the invitation…</p>}
        {invitation.isError && (
          <p role="alert">
            {isApiError(invitation.error) && invitation.error.status === 404
              ? 'This invitation no longer works: it was revoked, replaced by a newer one, or the link is incomplete. Ask the person who invited you for a new one.'
              : invitation.error.message}
          </p>
        )}
        {data && (
          <>
            <p>
              <strong>{data.invitedBy}</strong> invited <strong>{data.email}</strong> to{' '}
              <strong>{data.organizationName}</strong> as {data.role === 'admin' ? 'an admin' : `a ${data.role}`}.
            </p>
            {data.status === 'expired' && <p role="alert">This invitation has expired. Ask for a new one.</p>}
            {data.status === 'accepted' && <p>This invitation was already accepted.</p>}
            {isForSomeoneElse ? (
              <>
                <p role="alert">
                  You are signed in as {user.email}. Sign out, then sign in or create an account as {data.email} to
                  accept.
                </p>
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    rememberInvitationPath(window.location.pathname)
                    signOut.mutate()
                  }}
                >
                  Sign out and continue as {data.email}
                </button>
              </>
            ) : (
              data.status !== 'expired' && (
                <button
                  type="button"
                  className="button button-primary"
                  disabled={accept.isPending || switcher.isPending}
                  onClick={() => accept.mutate()}
                >
                  {accept.isPending || switcher.isPending ? 'Joining…' : `Join ${data.organizationName}`}
                </button>
              )
            )}
            {accept.isError && (
              <p className="form-error" role="alert">
                {accept.error.message}
              </p>
            )}
          </>
        )}
      </section>
    </main>
  )
}
