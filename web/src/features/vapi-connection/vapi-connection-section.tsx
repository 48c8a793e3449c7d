import { useId, useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import { toast } from '../../lib/toast.tsx'
import { isApiError } from '../../lib/api-error.ts'
import { ConfirmActions } from '../../lib/confirm-actions.tsx'
import { useModalDialog } from '../../lib/use-modal-dialog.ts'
import { useServerInfo } from '../server-info/use-server-info.ts'
import { fetchVapiConnection, type VapiConnection } from './vapi-connection-api.ts'
import { useConnectVapiAccount, useDisconnectVapiAccount } from './vapi-connection-mutations.ts'
import { vapiConnectionQueryKeys } from './vapi-connection-query-keys.ts'
import './vapi-connection.css'

const sourceLabels: Record<NonNullable<VapiConnection['source']>, string> = {
  organization: 'Your organisation’s own Vapi account',
  platform: 'The platform’s Vapi account, shared and set up by whoever runs this dialtone',
  sandbox: 'Development sandbox: a stand-in for Vapi, not the real service',
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** Only the last four characters are ever shown, whatever else the server sends around them. */
export function formatKeyHint(keyHint: string | null): string | null {
  if (keyHint === null) return null
  const lastFour = keyHint.replace(/[^A-Za-z0-9_-]/g, '').slice(-4)
  return lastFour === '' ? null : `••••${lastFour}`
}

function isForbidden(error: unknown): boolean {
  return isApiError(error) && error.status === 403
}

/**
 * The organisation's Vapi account in settings: where numbers are bought and assistants come from. An owner
 * connects a private key (checked at Vapi before it is stored, never shown again) or disconnects it; a member
 * without the permission sees the same facts and the server's reason why they cannot change them.
 */
export function VapiConnectionSection() {
  const ids = useId()
  const query = useQuery({
    queryKey: vapiConnectionQueryKeys.current(),
    queryFn: ({ signal }) => fetchVapiConnection(signal),
  })
  const connect = useConnectVapiAccount()
  const [apiKey, setApiKey] = useState('')
  const [isConfirmingDisconnect, setIsConfirmingDisconnect] = useState(false)
  // The server says who may change the connection; after one refusal the form gives way to its reason.
  const [forbiddenMessage, setForbiddenMessage] = useState<string | null>(null)
  const keyInputId = `${ids}-key`
  const keyHintId = `${ids}-key-hint`
  const keyErrorId = `${ids}-key-error`

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const trimmed = apiKey.trim()
    if (trimmed === '' || connect.isPending) return
    connect.mutate(trimmed, {
      onSuccess: () => {
        setApiKey('')
        toast.success('Vapi account connected')
      },
      onError: (error) => {
        if (isForbidden(error)) setForbiddenMessage(error.message)
      },
    })
  }

  const content = (() => {
    if (query.isPending) {
      return (
        <p aria-busy="true">
          <span className="spinner" aria-hidden="true" /> Loading the connection…
        </p>
      )
    }
    if (query.isError) {
      return (
        <div role="alert" className={isForbidden(query.error) ? 'connection-read-only' : 'form-error'}>
          <p>{query.error.message}</p>
          {!isForbidden(query.error) && (
            <button type="button" className="button button-small" onClick={() => void query.refetch()}>
              Try again
            </button>
          )}
        </div>
      )
    }
    const connection = query.data
    const keyHint = formatKeyHint(connection.keyHint)
    const connectError = connect.isError && !isForbidden(connect.error) ? connect.error : null
    return (
      <>
        <ConnectionFacts connection={connection} keyHint={keyHint} />
        {connection.source === 'sandbox' && (
          <p className="connection-sandbox-note" role="note" data-testid="vapi-sandbox-note">
            <strong>Development sandbox.</strong> Numbers and assistants here are made up by dialtone’s stand-in for
            Vapi: nobody can call them. Connect a real Vapi private key to buy real numbers.
          </p>
        )}
        {forbiddenMessage !== null ? (
          <p className="connection-read-only" role="alert" data-testid="vapi-connection-forbidden">
            {forbiddenMessage}
          </p>
        ) : (
          <form className="connection-form" onSubmit={handleSubmit} noValidate aria-label="Connect a Vapi account">
            <div className="field">
              <label htmlFor={keyInputId}>
                {connection.source === 'organization' ? 'Replace with another private key' : 'Vapi private key'}
              </label>
              <input
                id={keyInputId}
                name="vapiApiKey"
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={apiKey}
                aria-invalid={connectError !== null}
                aria-describedby={connectError !== null ? `${keyErrorId} ${keyHintId}` : keyHintId}
                onChange={(event) => {
                  setApiKey(event.target.value)
                  if (connect.isError) connect.reset()
                }}
              />
              {connectError !== null && (
                <p id={keyErrorId} className="field-error" role="alert" data-testid="vapi-connection-error">
                  {/nothing was saved/i.test(connectError.message)
                    ? connectError.message
                    : `${connectError.message} Nothing was saved.`}
                </p>
              )}
              <p id={keyHintId} className="field-hint">
                In Vapi’s dashboard: Organization → API Keys → the private key. dialtone checks it with Vapi first,
                stores it encrypted and never shows it again.
              </p>
            </div>
            <div className="connection-actions">
              <button
                type="submit"
                className="button button-primary"
                disabled={apiKey.trim() === '' || connect.isPending}
              >
                {connect.isPending && <span className="spinner" aria-hidden="true" />}
                {connect.isPending ? 'Checking with Vapi…' : 'Connect'}
              </button>
              {connection.source === 'organization' && (
                <button type="button" className="button button-danger" onClick={() => setIsConfirmingDisconnect(true)}>
                  Disconnect
                </button>
              )}
            </div>
          </form>
        )}
        <DisconnectDialog
          isOpen={isConfirmingDisconnect}
          keyHint={keyHint}
          onClose={() => setIsConfirmingDisconnect(false)}
          onForbidden={setForbiddenMessage}
        />
      </>
    )
  })()

  return (
    <section className="panel connection-section" aria-labelledby={`${ids}-title`} data-testid="vapi-connection">
      <h2 id={`${ids}-title`}>Vapi account</h2>
      <p className="muted">dialtone buys your numbers and lists your assistants with this account.</p>
      {content}
    </section>
  )
}

function ConnectionFacts({ connection, keyHint }: { connection: VapiConnection; keyHint: string | null }) {
  if (!connection.connected || connection.source === null) {
    return (
      <p className="connection-status connection-status-off" data-testid="vapi-connection-status">
        No Vapi account is connected. Connect your organisation’s private key to buy numbers.
      </p>
    )
  }
  return (
    <dl className="connection-facts" data-testid="vapi-connection-status" data-source={connection.source}>
      <div>
        <dt>Account</dt>
        <dd>{sourceLabels[connection.source]}</dd>
      </div>
      {keyHint !== null && (
        <div>
          <dt>Key</dt>
          <dd>
            <code aria-label={`Key ending in ${keyHint.slice(-4).split('').join(' ')}`}>{keyHint}</code>
          </dd>
        </div>
      )}
      {connection.connectedAt !== null && (
        <div>
          <dt>Connected since</dt>
          <dd>
            <time dateTime={connection.connectedAt}>{dateTimeFormat.format(new Date(connection.connectedAt))}</time>
          </dd>
        </div>
      )}
    </dl>
  )
}

/** A native modal <dialog>, like the release dialog: focus is trapped, Escape cancels. */
function DisconnectDialog({
  isOpen,
  keyHint,
  onClose,
  onForbidden,
}: {
  isOpen: boolean
  keyHint: string | null
  onClose: () => void
  onForbidden: (message: string) => void
}) {
  const ids = useId()
  const disconnect = useDisconnectVapiAccount()
  const isSandbox = useServerInfo().data?.isSandbox ?? false
  const dialogProps = useModalDialog({ isOpen, isBusy: disconnect.isPending, onOpen: disconnect.reset, onClose })

  function confirm() {
    disconnect.mutate(undefined, {
      onSuccess: () => {
        toast.success('Vapi account disconnected')
        onClose()
      },
      onError: (error) => {
        if (isForbidden(error)) {
          onForbidden(error.message)
          onClose()
        }
      },
    })
  }

  return (
    <dialog
      {...dialogProps}
      className="dialog"
      aria-labelledby={`${ids}-title`}
      aria-describedby={`${ids}-body`}
      data-testid="disconnect-vapi-dialog"
    >
      <h2 id={`${ids}-title`}>Disconnect your Vapi account?</h2>
      <div id={`${ids}-body`} className="dialog-body">
        <p>dialtone forgets the key{keyHint ? ` ending ${keyHint.slice(-4)}` : ''}.</p>
        <p>
          Numbers bought with it stay in your Vapi account and keep answering calls, but dialtone can no longer check,
          re-assign or release them until you connect that account again.{' '}
          {isSandbox
            ? 'New numbers go to a fresh development sandbox account.'
            : 'New numbers use the platform’s account if this dialtone offers one; otherwise connect a key first.'}
        </p>
      </div>
      <ConfirmActions
        error={disconnect.isError ? disconnect.error.message : null}
        isPending={disconnect.isPending}
        actionLabel="Disconnect"
        pendingLabel="Disconnecting…"
        onCancel={onClose}
        onConfirm={confirm}
      />
    </dialog>
  )
}
