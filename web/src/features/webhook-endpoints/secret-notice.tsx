import { useState } from 'react'
import { copyText } from '../../lib/copy-text.ts'

/** The signing secret, shown once after a create or a rotation: dialtone cannot show it again. */
export function SecretNotice({ secret, url, onDismiss }: { secret: string; url: string; onDismiss: () => void }) {
  const [isCopied, setIsCopied] = useState(false)
  return (
    <section className="panel webhook-secret" role="status" aria-label="Signing secret">
      <h2>Signing secret for {url}</h2>
      <p>
        Copy it now: this is the only time dialtone shows it. Your receiver verifies each request with it (any Standard
        Webhooks library does).
      </p>
      <div className="webhook-secret-value">
        <code data-testid="webhook-secret">{secret}</code>
        <button
          type="button"
          className="button button-small button-copy"
          onClick={() =>
            void copyText(secret).then(
              () => setIsCopied(true),
              () => setIsCopied(false),
            )
          }
        >
          {isCopied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <button type="button" className="button button-quiet button-small" onClick={onDismiss}>
        I have saved it
      </button>
    </section>
  )
}
