import type { SessionUser } from './features/auth/auth-api.ts'
import { isPlatformAdmin } from './features/auth/auth-api.ts'
import { useSignOut } from './features/auth/use-sign-out.ts'
import { NotifyButton } from './features/notifications/notify-button.tsx'
import { Link } from './lib/link.tsx'
import { routes, usePathname } from './lib/router.ts'
import { ConnectionIndicator } from './realtime/connection-indicator.tsx'
import { OrganizationSwitcher } from './features/teams/organization-switcher.tsx'
import { usePermissions } from './features/teams/use-permissions.ts'
import { lazy, Suspense } from 'react'

// Only platform admins see open alerts: everyone else's page never downloads the banner and its schemas.
const OpenAlertsBanner = lazy(() =>
  import('./features/alerts/open-alerts-banner.tsx').then((module) => ({ default: module.OpenAlertsBanner })),
)

export function AppHeader({ user }: { user: SessionUser }) {
  const pathname = usePathname()
  const signOut = useSignOut()
  const permissions = usePermissions()
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <Link to={routes.home} className="brand" aria-label="dialtone, your numbers">
          <span className="brand-mark" aria-hidden="true" />
          dialtone
        </Link>
        <nav aria-label="Main" className="main-nav">
          <Link to={routes.home} aria-current={pathname === routes.home ? 'page' : undefined}>
            Numbers
          </Link>
          {permissions.can('settings:write') && (
            <Link to={routes.webhooks} aria-current={pathname === routes.webhooks ? 'page' : undefined}>
              Webhooks
            </Link>
          )}
          <Link to={routes.team} aria-current={pathname === routes.team ? 'page' : undefined}>
            Team
          </Link>
          <Link
            to={routes.apiKeys}
            aria-current={pathname === routes.apiKeys || pathname === routes.apiReference ? 'page' : undefined}
          >
            API
          </Link>
          {permissions.can('settings:write') && (
            <Link to={routes.auditLog} aria-current={pathname === routes.auditLog ? 'page' : undefined}>
              Audit log
            </Link>
          )}
          {isPlatformAdmin(user) && (
            <Link to={routes.admin} aria-current={pathname === routes.admin ? 'page' : undefined}>
              Admin
            </Link>
          )}
          <Link to={routes.settings} aria-current={pathname === routes.settings ? 'page' : undefined}>
            Settings
          </Link>
        </nav>
        <div className="header-tools">
          <OrganizationSwitcher />
          <ConnectionIndicator />
          <NotifyButton />
          <span className="header-user" title={user.email}>
            {user.name}
          </span>
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={() => signOut.mutate()}
            disabled={signOut.isPending}
          >
            {signOut.isPending ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      </div>
      {/* The admin page shows the same banner at its top. */}
      {isPlatformAdmin(user) && pathname !== routes.admin && (
        <Suspense fallback={null}>
          <OpenAlertsBanner showLink />
        </Suspense>
      )}
    </header>
  )
}
