import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import type { ApiKeyWithSecret } from '@dialtone/shared/api-keys'
import { isApiError } from '../../lib/api-error.ts'
import { Link } from '../../lib/link.tsx'
import { routes } from '../../lib/router.ts'
import { ApiKeyRow } from './api-key-row.tsx'
import { CreateApiKeyForm } from './create-api-key-form.tsx'
import { NewKeyNotice } from './new-key-notice.tsx'
import { fetchApiKeys } from './api-keys-api.ts'
import { apiKeyQueryKeys } from './api-key-query-keys.ts'
import './api-keys.css'

export function ApiKeysPage() {
  const keys = useQuery({ queryKey: apiKeyQueryKeys.list(), queryFn: fetchApiKeys })
  const [fresh, setFresh] = useState<ApiKeyWithSecret | null>(null)
  const isForbidden = keys.isError && isApiError(keys.error) && keys.error.status === 403

  return (
    <main id="main" className="page api-keys-page">
      <h1>API keys</h1>
      <p className="muted">
        Let your own programs buy and watch numbers: each key acts for this organisation with the scopes you give it.
        The <Link to={routes.apiReference}>API reference</Link> lists every route and the scope it needs.
      </p>
      {isForbidden ? (
        <p className="panel" role="alert">
          Only the organisation’s owners and admins manage API keys.
        </p>
      ) : (
        <>
          {fresh && <NewKeyNotice apiKey={fresh} onDismiss={() => setFresh(null)} />}
          <CreateApiKeyForm onCreated={setFresh} />
          <h2 className="api-keys-heading">Keys</h2>
          {keys.isPending && <p className="muted">Loading keys…</p>}
          {keys.isError && <p role="alert">{keys.error.message}</p>}
          {keys.data?.items.length === 0 && <p className="empty-state">No keys yet.</p>}
          <ul className="api-key-list">
            {keys.data?.items.map((apiKey) => (
              <ApiKeyRow key={apiKey.id} apiKey={apiKey} />
            ))}
          </ul>
        </>
      )}
    </main>
  )
}
