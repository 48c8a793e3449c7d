import { useState } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { toast } from '../../lib/toast.tsx'
import type { ApiKey } from '@dialtone/shared/api-keys'
import { revokeApiKey } from './api-keys-api.ts'
import { apiKeyQueryKeys } from './api-key-query-keys.ts'

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })

function stateOf(apiKey: ApiKey): { label: string; className: string } {
  if (apiKey.isRevoked) return { label: 'Revoked', className: 'api-key-state-off' }
  if (apiKey.isExpired) return { label: 'Expired', className: 'api-key-state-off' }
  return { label: 'Active', className: 'api-key-state-on' }
}

export function ApiKeyRow({ apiKey }: { apiKey: ApiKey }) {
  const queryClient = useQueryClient()
  const [isConfirming, setIsConfirming] = useState(false)
  const revoke = useMutation({
    mutationFn: revokeApiKey,
    onSuccess: () => toast.success(`Revoked “${apiKey.name}”: programs using it are refused from now on.`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: apiKeyQueryKeys.all }),
  })
  const state = stateOf(apiKey)
  const isUsable = !apiKey.isRevoked && !apiKey.isExpired

  return (
    <li className={`panel api-key-row${isUsable ? '' : ' api-key-row-off'}`} aria-label={`API key ${apiKey.name}`}>
      <div className="api-key-row-head">
        <strong>{apiKey.name}</strong>
        <span className={`api-key-state ${state.className}`}>{state.label}</span>
      </div>
      <code className="api-key-masked">
        {apiKey.prefix}…{apiKey.lastFour}
      </code>
      <ul className="api-key-scope-list" aria-label="Scopes">
        {apiKey.scopes.map((scope) => (
          <li key={scope}>
            <code>{scope}</code>
          </li>
        ))}
      </ul>
      <dl className="api-key-facts">
        <div>
          <dt>Last used</dt>
          <dd>{apiKey.lastUsedAt ? dateTime.format(new Date(apiKey.lastUsedAt)) : 'Never'}</dd>
        </div>
        <div>
          <dt>Made</dt>
          <dd>
            {date.format(new Date(apiKey.createdAt))} by {apiKey.createdBy.name}
          </dd>
        </div>
        <div>
          <dt>{apiKey.revokedAt ? 'Revoked' : 'Expires'}</dt>
          <dd>
            {apiKey.revokedAt
              ? dateTime.format(new Date(apiKey.revokedAt))
              : apiKey.expiresAt
                ? date.format(new Date(apiKey.expiresAt))
                : 'Never'}
          </dd>
        </div>
      </dl>
      {isUsable &&
        (isConfirming ? (
          <div className="api-key-confirm" role="group" aria-label={`Revoke ${apiKey.name}?`}>
            <p>Revoke “{apiKey.name}”? Programs using it are refused at once; this cannot be undone.</p>
            <button
              type="button"
              className="button button-danger button-small"
              disabled={revoke.isPending}
              onClick={() => revoke.mutate(apiKey.id)}
            >
              {revoke.isPending ? 'Revoking…' : 'Yes, revoke'}
            </button>
            <button type="button" className="button button-quiet button-small" onClick={() => setIsConfirming(false)}>
              Keep it
            </button>
          </div>
        ) : (
          <button type="button" className="button button-small" onClick={() => setIsConfirming(true)}>
            Revoke…
          </button>
        ))}
      {revoke.isError && (
        <p className="form-error" role="alert">
          {revoke.error.message}
        </p>
      )}
    </li>
  )
}
