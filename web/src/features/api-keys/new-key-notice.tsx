import { useState } from 'react'
import type { ApiKeyWithSecret } from '@dialtone/shared/api-keys'
import { copyText } from '../../lib/copy-text.ts'

/** The key itself, shown once after it is made: dialtone keeps only its hash and cannot show it again. */
export function NewKeyNotice({ apiKey, onDismiss }: { apiKey: ApiKeyWithSecret; onDismiss: () => void }) {
  const [isCopied, setIsCopied] = useState(false)
  return (
    <section className="panel api-key-new" role="status" aria-label="Your new API key">
      <h2>Your new key “{apiKey.name}”</h2>
      <p className="api-key-warning">
        Copy it now and keep it somewhere safe: this is the only time dialtone shows it. Anyone holding it can act for
        your organisation within its scopes; if it leaks, revoke it below.
      </p>
      <div className="api-key-value">
        <code data-testid="new-api-key">{apiKey.key}</code>
        <button
          type="button"
          className="button button-small button-copy"
          onClick={() =>
            void copyText(apiKey.key).then(
              () => setIsCopied(true),
              () => setIsCopied(false),
            )
          }
        >
          {isCopied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="field-hint">
        Send it as <code>Authorization: Bearer {apiKey.prefix}…</code> on every request.
      </p>
      <button type="button" className="button button-quiet button-small" onClick={onDismiss}>
        I have saved it
      </button>
    </section>
  )
}
