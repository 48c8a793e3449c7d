import type { SessionUser } from '../auth/auth-api.ts'
import { isPlatformAdmin } from '../auth/auth-api.ts'
import { NotificationPreferencesForm } from '../notification-preferences/notification-preferences-form.tsx'
import { VapiConnectionSection } from '../vapi-connection/vapi-connection-section.tsx'
import { CarrierConnectionsSection } from '../carriers/carrier-connection-section.tsx'
import { CallEventsSection } from '../call-events/call-events-section.tsx'
import { usePermissions } from '../teams/use-permissions.ts'
import { Link } from '../../lib/link.tsx'
import { routes, type RoutePath } from '../../lib/router.ts'

/** Other settings pages, one line each. */
const sections: { to: RoutePath; title: string; description: string }[] = [
  { to: routes.mailbox, title: 'Mailbox', description: 'The mail dialtone sent you, and any it could not send.' },
  {
    to: routes.webhookLog,
    title: 'Webhook log',
    description: 'Every message Vapi and carriers sent about your numbers, and what dialtone did with it.',
  },
]

export function SettingsPage({ user }: { user: SessionUser }) {
  const permissions = usePermissions()
  return (
    <main id="main" className="page settings-page">
      <h1>Settings</h1>
      <VapiConnectionSection />
      <CarrierConnectionsSection />
      {permissions.can('settings:write') && <CallEventsSection />}
      <section className="panel" aria-labelledby="email-notifications-heading">
        <h2 id="email-notifications-heading">Email notifications</h2>
        <NotificationPreferencesForm isPlatformAdmin={isPlatformAdmin(user)} />
      </section>
      <nav aria-label="More settings" className="panel settings-sections">
        <ul>
          {sections.map((section) => (
            <li key={section.to}>
              <Link to={section.to}>{section.title}</Link>
              <span className="muted"> — {section.description}</span>
            </li>
          ))}
        </ul>
      </nav>
    </main>
  )
}
