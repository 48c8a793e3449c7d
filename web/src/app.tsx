import { lazy, Suspense, useEffect } from 'react'
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { Toaster } from './lib/toast.tsx'
import { AppHeader } from './app-header.tsx'
import { isPlatformAdmin, type SessionUser } from './features/auth/auth-api.ts'
import { authQueryKeys } from './features/auth/auth-query-keys.ts'
import { useSession } from './features/auth/use-session.ts'
import { useAdminAlertEvents } from './features/alerts/use-admin-alert-events.ts'
import { DashboardPage } from './features/phone-numbers/dashboard-page.tsx'
import { usePhoneNumberEvents } from './features/phone-numbers/use-phone-number-events.ts'
import { SandboxBanner } from './features/server-info/sandbox-banner.tsx'
import { rememberInvitationPath } from './features/teams/pending-invitation.ts'
import { isApiError } from './lib/api-error.ts'
import { invitationPathPrefix, navigate, routes, usePathname, type RoutePath } from './lib/router.ts'
import { useDocumentTitle } from './lib/use-document-title.ts'
import { useSocketConnection } from './realtime/use-socket-connection.ts'

// The reference renders the whole OpenAPI document; only people who open it download its code.
const ApiReferencePage = lazy(() =>
  import('./features/api-reference/api-reference-page.tsx').then((module) => ({ default: module.ApiReferencePage })),
)

// The analytics page carries the charting library; owners never download it.
const AdminPage = lazy(() =>
  import('./features/admin/admin-page.tsx').then((module) => ({ default: module.AdminPage })),
)
// Settings are visited rarely; the numbers page stays light without them.
const SettingsPage = lazy(() =>
  import('./features/settings/settings-page.tsx').then((module) => ({ default: module.SettingsPage })),
)

// The inbound webhook log is opened now and then; its table and payload viewer stay out of the main bundle.
const WebhookLogPage = lazy(() =>
  import('./features/webhook-log/webhook-log-page.tsx').then((module) => ({ default: module.WebhookLogPage })),
)
// Pages an owner opens now and then load when opened, so the numbers page (the one every visit starts on) stays
// within its JavaScript budget (issue 19: ≤ 80 kB gzip).
const WebhookEndpointsPage = lazy(() =>
  import('./features/webhook-endpoints/webhook-endpoints-page.tsx').then((module) => ({
    default: module.WebhookEndpointsPage,
  })),
)
const MailboxPage = lazy(() =>
  import('./features/mailbox/mailbox-page.tsx').then((module) => ({ default: module.MailboxPage })),
)
const ApiKeysPage = lazy(() =>
  import('./features/api-keys/api-keys-page.tsx').then((module) => ({ default: module.ApiKeysPage })),
)
const TeamPage = lazy(() => import('./features/teams/team-page.tsx').then((module) => ({ default: module.TeamPage })))
const AuditLogPage = lazy(() =>
  import('./features/audit-log/audit-log-page.tsx').then((module) => ({ default: module.AuditLogPage })),
)
// Signed-in visits never need the sign-in form; an invitation link is opened once.
const AuthPage = lazy(() => import('./features/auth/auth-page.tsx').then((module) => ({ default: module.AuthPage })))
const AcceptInvitationPage = lazy(() =>
  import('./features/teams/accept-invitation-page.tsx').then((module) => ({ default: module.AcceptInvitationPage })),
)

/** While a lazily loaded page arrives. */
function PageLoading({ what }: { what: string }) {
  return (
    <main id="main" className="page page-loading" aria-busy="true">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </main>
  )
}

function createQueryClient(): QueryClient {
  // A session that ended (expired, signed out in another tab) shows up as a 401 anywhere: look at the session
  // again, and the app moves to the sign-in screen if it is gone.
  const handleError = (error: Error) => {
    if (isApiError(error) && error.status === 401) {
      void queryClient.invalidateQueries({ queryKey: authQueryKeys.session() })
    }
  }
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: handleError }),
    mutationCache: new MutationCache({ onError: handleError }),
    defaultOptions: {
      queries: {
        // A 4xx will not get better by asking again; a dropped connection might.
        retry: (failureCount, error) =>
          failureCount < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
      },
    },
  })
  return queryClient
}

const queryClient = createQueryClient()

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SandboxBanner />
      <Screens />
      <Toaster />
    </QueryClientProvider>
  )
}

function Redirect({ to }: { to: RoutePath }) {
  useEffect(() => navigate(to, { replace: true }), [to])
  return null
}

const titles: Record<string, string> = {
  [routes.home]: 'Your numbers',
  [routes.signIn]: 'Sign in',
  [routes.signUp]: 'Create an account',
  [routes.admin]: 'Provisioning analytics',
  [routes.webhooks]: 'Webhooks',
  [routes.settings]: 'Settings',
  [routes.mailbox]: 'Mailbox',
  [routes.apiKeys]: 'API keys',
  [routes.apiReference]: 'API reference',
  [routes.team]: 'Team',
  [routes.auditLog]: 'Audit log',
  [routes.webhookLog]: 'Webhook log',
}

function Screens() {
  const pathname = usePathname()
  const session = useSession()
  useDocumentTitle(titles[pathname] ?? '')

  if (session.isPending) {
    return (
      <main id="main" className="page page-loading" aria-busy="true">
        <span className="spinner" aria-hidden="true" /> Loading dialtone…
      </main>
    )
  }
  if (session.isError && session.data === undefined) {
    return (
      <main id="main" className="page">
        <div className="panel" role="alert">
          <p>dialtone could not be reached. Check your connection; the page retries when you try again.</p>
          <button type="button" className="button" onClick={() => void session.refetch()}>
            Try again
          </button>
        </div>
      </main>
    )
  }

  const user = session.data?.user ?? null
  if (user === null) {
    if (pathname.startsWith(invitationPathPrefix)) {
      // Sign in (or up) first; the invitation opens again afterwards.
      rememberInvitationPath(pathname)
      return <Redirect to={routes.signIn} />
    }
    if (pathname !== routes.signUp && pathname !== routes.signIn) return <Redirect to={routes.signIn} />
    const mode = pathname === routes.signUp ? 'sign-up' : 'sign-in'
    return (
      <Suspense fallback={<PageLoading what="dialtone" />}>
        <AuthPage key={mode} mode={mode} />
      </Suspense>
    )
  }
  return <SignedIn user={user} pathname={pathname} />
}

function SignedIn({ user, pathname }: { user: SessionUser; pathname: string }) {
  useSocketConnection(user.id)
  usePhoneNumberEvents()
  useAdminAlertEvents(isPlatformAdmin(user))

  let screen
  if (pathname === routes.admin && isPlatformAdmin(user)) {
    screen = (
      <Suspense fallback={<PageLoading what="analytics" />}>
        <AdminPage />
      </Suspense>
    )
  } else if (pathname === routes.webhooks) {
    screen = (
      <Suspense fallback={<PageLoading what="webhooks" />}>
        <WebhookEndpointsPage />
      </Suspense>
    )
  } else if (pathname === routes.home) {
    screen = <DashboardPage />
  } else if (pathname === routes.settings) {
    screen = (
      <Suspense fallback={<PageLoading what="settings" />}>
        <SettingsPage user={user} />
      </Suspense>
    )
  } else if (pathname === routes.mailbox) {
    screen = (
      <Suspense fallback={<PageLoading what="the mailbox" />}>
        <MailboxPage />
      </Suspense>
    )
  } else if (pathname === routes.apiKeys) {
    screen = (
      <Suspense fallback={<PageLoading what="API keys" />}>
        <ApiKeysPage />
      </Suspense>
    )
  } else if (pathname === routes.apiReference) {
    screen = (
      <Suspense
        fallback={
          <main id="main" className="page page-loading" aria-busy="true">
            <span className="spinner" aria-hidden="true" /> Loading the API reference…
          </main>
        }
      >
        <ApiReferencePage />
      </Suspense>
    )
  } else if (pathname === routes.team) {
    screen = (
      <Suspense fallback={<PageLoading what="the team" />}>
        <TeamPage />
      </Suspense>
    )
  } else if (pathname === routes.auditLog) {
    screen = (
      <Suspense fallback={<PageLoading what="the audit log" />}>
        <AuditLogPage />
      </Suspense>
    )
  } else if (pathname === routes.webhookLog) {
    screen = (
      <Suspense fallback={<PageLoading what="the webhook log" />}>
        <WebhookLogPage user={user} />
      </Suspense>
    )
  } else if (pathname.startsWith(invitationPathPrefix)) {
    screen = (
      <Suspense fallback={<PageLoading what="the invitation" />}>
        <AcceptInvitationPage
          key={pathname}
          invitationId={decodeURIComponent(pathname.slice(invitationPathPrefix.length))}
          user={user}
        />
      </Suspense>
    )
  } else {
    // Signed in on /sign-in, a non-admin on /admin, or an unknown path: the dashboard is home.
    screen = <Redirect to={routes.home} />
  }

  return (
    <>
      <AppHeader user={user} />
      {screen}
    </>
  )
}
