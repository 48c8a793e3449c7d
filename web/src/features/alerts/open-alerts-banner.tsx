import { useQuery } from '@tanstack/react-query'
import { Link } from '../../lib/link.tsx'
import { routes } from '../../lib/router.ts'
import { fetchAlerts } from './alerts-api.ts'
import { alertQueryKeys } from './alert-query-keys.ts'

/** For platform admins, under the header on every page and atop the admin page: what is wrong right now. */
export function OpenAlertsBanner({ showLink }: { showLink: boolean }) {
  const query = useQuery({ queryKey: alertQueryKeys.open(), queryFn: () => fetchAlerts('open') })
  const open = query.data?.items ?? []
  if (open.length === 0) return null
  return (
    <div className="alert-banner" role="alert" data-testid="open-alerts-banner">
      <strong>{open.length === 1 ? 'Alert:' : `${open.length} alerts:`}</strong>
      <ul>
        {open.map((alert) => (
          <li key={alert.id} data-testid="open-alert">
            {alert.summary}
            <span className="alert-since"> · since {new Date(alert.openedAt).toLocaleTimeString()}</span>
          </li>
        ))}
      </ul>
      {showLink && (
        <Link to={routes.admin} className="alert-link">
          Open the admin page
        </Link>
      )}
    </div>
  )
}
