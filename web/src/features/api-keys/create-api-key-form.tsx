import { useId, useState, type FormEvent } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import {
  apiKeyScopeDescriptions,
  apiKeyScopes,
  type ApiKeyScopeName,
  type ApiKeyWithSecret,
} from '@dialtone/shared/api-keys'
import { createApiKey } from './api-keys-api.ts'
import { apiKeyQueryKeys } from './api-key-query-keys.ts'

export function CreateApiKeyForm({ onCreated }: { onCreated: (apiKey: ApiKeyWithSecret) => void }) {
  const ids = useId()
  const queryClient = useQueryClient()
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<ApiKeyScopeName[]>(['numbers:read'])
  const [expiresOn, setExpiresOn] = useState('')
  const create = useMutation({
    mutationFn: createApiKey,
    onSettled: () => queryClient.invalidateQueries({ queryKey: apiKeyQueryKeys.all }),
  })

  function submit(event: FormEvent) {
    event.preventDefault()
    create.mutate(
      {
        name: name.trim(),
        scopes,
        // The end of the chosen day, in the person's own time zone.
        ...(expiresOn ? { expiresAt: new Date(`${expiresOn}T23:59:59`).toISOString() } : {}),
      },
      {
        onSuccess: (created) => {
          setName('')
          setScopes(['numbers:read'])
          setExpiresOn('')
          onCreated(created)
        },
      },
    )
  }

  function toggle(scope: ApiKeyScopeName, isChecked: boolean) {
    setScopes((current) => (isChecked ? [...current, scope] : current.filter((each) => each !== scope)))
  }

  return (
    <form className="panel api-key-create" onSubmit={submit} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Make a key</h2>
      <div className="field">
        <label htmlFor={`${ids}-name`}>Name</label>
        <input
          id={`${ids}-name`}
          required
          maxLength={60}
          placeholder="Campaign builder"
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <p className="field-hint">Say which program uses it, so you know what breaks when you revoke it.</p>
      </div>
      <fieldset className="api-key-scopes">
        <legend>What it may do</legend>
        {apiKeyScopes.map((scope) => (
          <label key={scope} className="api-key-scope-choice">
            <input
              type="checkbox"
              checked={scopes.includes(scope)}
              onChange={(event) => toggle(scope, event.target.checked)}
            />
            <span>
              <code>{scope}</code> <span className="muted">{apiKeyScopeDescriptions[scope]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${ids}-expires`}>Expires (optional)</label>
        <input
          id={`${ids}-expires`}
          type="date"
          min={new Date().toISOString().slice(0, 10)}
          value={expiresOn}
          onChange={(event) => setExpiresOn(event.target.value)}
        />
        <p className="field-hint">Left empty, the key works until you revoke it.</p>
      </div>
      {create.isError && (
        <p className="form-error" role="alert">
          {create.error.message}
        </p>
      )}
      <button
        type="submit"
        className="button button-primary"
        disabled={create.isPending || scopes.length === 0 || name.trim() === ''}
      >
        {create.isPending ? 'Making…' : 'Make key'}
      </button>
    </form>
  )
}
