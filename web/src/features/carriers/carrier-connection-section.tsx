import { useId, useState, type FormEvent } from 'react'
import { useQuery } from '@tanstack/react-query'
import { toast } from '../../lib/toast.tsx'
import type { CarrierName } from '@dialtone/shared/carriers'
import type { Connection } from '@dialtone/shared/connections'
import { isApiError } from '../../lib/api-error.ts'
import { useServerInfo } from '../server-info/use-server-info.ts'
import { formatKeyHint } from '../vapi-connection/vapi-connection-section.tsx'
import {
  carrierLabels,
  connectTelnyxAccount,
  connectTwilioAccount,
  disconnectCarrierAccount,
  fetchCarrierConnection,
} from './carriers-api.ts'
import { useCarrierConnectionChange } from './carrier-connection-mutations.ts'
import { carrierQueryKeys } from './carrier-query-keys.ts'
import './carriers.css'

const sourceLabels: Record<NonNullable<Connection['source']>, (carrier: string) => string> = {
  organization: (carrier) => `Your organisation’s own ${carrier} account`,
  platform: (carrier) => `The platform’s ${carrier} account`,
  sandbox: (carrier) => `Development sandbox: dialtone’s stand-in for ${carrier}, not the real service`,
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** The server's words for a refused credential already say nothing was stored; other errors get that added. */
function withNothingSaved(message: string): string {
  return /nothing (was|is) (saved|stored)/i.test(message) ? message : `${message} Nothing was saved.`
}

/** Twilio and Telnyx beside the Vapi account in settings: where chosen numbers are bought and imported from. */
export function CarrierConnectionsSection() {
  return (
    <section className="panel carrier-connections" aria-labelledby="carrier-connections-heading" id="carriers">
      <h2 id="carrier-connections-heading">Carrier accounts</h2>
      <p className="muted">
        Buy an exact number (any country the carrier sells, toll-free, a word in it) or import numbers you already have.
        dialtone buys them at the carrier and imports them into your Vapi account.
      </p>
      <div className="carrier-connection-grid">
        <CarrierConnectionCard carrier="twilio" />
        <CarrierConnectionCard carrier="telnyx" />
      </div>
    </section>
  )
}

function CarrierConnectionCard({ carrier }: { carrier: CarrierName }) {
  const ids = useId()
  const label = carrierLabels[carrier]
  const isSandbox = useServerInfo().data?.isSandbox ?? false
  const query = useQuery({
    queryKey: carrierQueryKeys.connection(carrier),
    queryFn: ({ signal }) => fetchCarrierConnection(carrier, signal),
  })
  const [isConfirmingDisconnect, setIsConfirmingDisconnect] = useState(false)
  const disconnect = useCarrierConnectionChange(carrier, () => disconnectCarrierAccount(carrier))

  let body
  if (query.isPending) {
    body = (
      <p aria-busy="true">
        <span className="spinner" aria-hidden="true" /> Loading…
      </p>
    )
  } else if (query.isError) {
    body = (
      <p role="alert" className="form-error">
        {query.error.message}
      </p>
    )
  } else {
    const connection = query.data
    const keyHint = formatKeyHint(connection.keyHint)
    body = (
      <>
        {connection.connected && connection.source !== null ? (
          <dl className="connection-facts" data-testid={`${carrier}-connection-status`} data-source={connection.source}>
            <div>
              <dt>Account</dt>
              <dd>{sourceLabels[connection.source](label)}</dd>
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
                  <time dateTime={connection.connectedAt}>
                    {dateTimeFormat.format(new Date(connection.connectedAt))}
                  </time>
                </dd>
              </div>
            )}
          </dl>
        ) : (
          <p className="connection-status connection-status-off" data-testid={`${carrier}-connection-status`}>
            Not connected.
          </p>
        )}
        {isSandbox && connection.source !== 'organization' && (
          <p className="connection-sandbox-note" role="note" data-testid={`${carrier}-sandbox-note`}>
            <strong>Sandbox {label} in use.</strong>{' '}
            {connection.connected
              ? `Numbers are made up by dialtone’s stand-in for ${label}; nothing real is bought.`
              : `An account at dialtone’s stand-in for ${label} is made for you the first time you search or import. Nothing real is bought.`}
          </p>
        )}
        {carrier === 'twilio' ? (
          <TwilioConnectForm isReplacing={connection.source === 'organization'} />
        ) : (
          <TelnyxConnectForm isReplacing={connection.source === 'organization'} />
        )}
        {connection.source === 'organization' &&
          (isConfirmingDisconnect ? (
            <div className="carrier-disconnect-confirm" role="group" aria-label={`Disconnect ${label}?`}>
              <p>
                dialtone forgets the {label} credentials{keyHint ? ` ending ${keyHint.slice(-4)}` : ''}. Numbers already
                imported keep answering in Vapi; new purchases and imports need a connection again.
              </p>
              {disconnect.isError && (
                <p className="form-error" role="alert">
                  {disconnect.error.message}
                </p>
              )}
              <div className="connection-actions">
                <button type="button" className="button" onClick={() => setIsConfirmingDisconnect(false)}>
                  Cancel
                </button>
                <button
                  type="button"
                  className="button button-danger"
                  disabled={disconnect.isPending}
                  onClick={() =>
                    disconnect.mutate(undefined, {
                      onSuccess: () => {
                        setIsConfirmingDisconnect(false)
                        toast.success(`${label} account disconnected`)
                      },
                    })
                  }
                >
                  {disconnect.isPending ? 'Disconnecting…' : `Disconnect ${label}`}
                </button>
              </div>
            </div>
          ) : (
            <div className="connection-actions">
              <button type="button" className="button button-danger" onClick={() => setIsConfirmingDisconnect(true)}>
                Disconnect
              </button>
            </div>
          ))}
      </>
    )
  }

  return (
    <section className="carrier-connection-card" aria-labelledby={`${ids}-title`} data-testid={`${carrier}-connection`}>
      <h3 id={`${ids}-title`}>{label}</h3>
      {body}
    </section>
  )
}

function ConnectError({ error, id, carrier }: { error: unknown; id: string; carrier: CarrierName }) {
  if (error === null) return null
  const message = isApiError(error) ? error.message : 'Something unexpected went wrong.'
  return (
    <p id={id} className="field-error" role="alert" data-testid={`${carrier}-connection-error`}>
      {/* A refusal's words come from the server, which quotes the carrier and says nothing was stored. */}
      {withNothingSaved(message)}
    </p>
  )
}

function TwilioConnectForm({ isReplacing }: { isReplacing: boolean }) {
  const ids = useId()
  const [accountSid, setAccountSid] = useState('')
  const [mode, setMode] = useState<'api-key' | 'auth-token'>('api-key')
  const [apiKeySid, setApiKeySid] = useState('')
  const [secret, setSecret] = useState('')
  const connect = useCarrierConnectionChange('twilio', connectTwilioAccount)
  const isComplete =
    accountSid.trim() !== '' && secret.trim() !== '' && (mode === 'auth-token' || apiKeySid.trim() !== '')
  const errorId = `${ids}-error`

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (!isComplete || connect.isPending) return
    const request =
      mode === 'api-key'
        ? { accountSid: accountSid.trim(), apiKeySid: apiKeySid.trim(), apiKeySecret: secret.trim() }
        : { accountSid: accountSid.trim(), authToken: secret.trim() }
    connect.mutate(request, {
      onSuccess: () => {
        setAccountSid('')
        setSecret('')
        setApiKeySid('')
        toast.success('Twilio account connected')
      },
    })
  }
  const change = (set: (value: string) => void) => (value: string) => {
    set(value)
    if (connect.isError) connect.reset()
  }

  return (
    <form className="connection-form" onSubmit={handleSubmit} noValidate aria-label="Connect a Twilio account">
      <div className="field">
        <label htmlFor={`${ids}-sid`}>{isReplacing ? 'Replace: Account SID' : 'Account SID'}</label>
        <input
          id={`${ids}-sid`}
          autoComplete="off"
          spellCheck={false}
          placeholder="AC…"
          value={accountSid}
          onChange={(event) => change(setAccountSid)(event.target.value)}
        />
      </div>
      <fieldset className="carrier-credential-choice">
        <legend>Sign in with</legend>
        <label>
          <input type="radio" name={`${ids}-mode`} checked={mode === 'api-key'} onChange={() => setMode('api-key')} />{' '}
          An API key (recommended)
        </label>
        <label>
          <input
            type="radio"
            name={`${ids}-mode`}
            checked={mode === 'auth-token'}
            onChange={() => setMode('auth-token')}
          />{' '}
          The auth token
        </label>
      </fieldset>
      {mode === 'api-key' && (
        <div className="field">
          <label htmlFor={`${ids}-key-sid`}>API key SID</label>
          <input
            id={`${ids}-key-sid`}
            autoComplete="off"
            spellCheck={false}
            placeholder="SK…"
            value={apiKeySid}
            onChange={(event) => change(setApiKeySid)(event.target.value)}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${ids}-secret`}>{mode === 'api-key' ? 'API key secret' : 'Auth token'}</label>
        <input
          id={`${ids}-secret`}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={secret}
          aria-invalid={connect.isError}
          aria-describedby={connect.isError ? errorId : undefined}
          onChange={(event) => change(setSecret)(event.target.value)}
        />
        <ConnectError error={connect.error} id={errorId} carrier="twilio" />
        <p className="field-hint">
          Twilio console → Account → API keys. dialtone checks them with Twilio first, stores them encrypted and never
          shows them again.
        </p>
      </div>
      <div className="connection-actions">
        <button type="submit" className="button button-primary" disabled={!isComplete || connect.isPending}>
          {connect.isPending && <span className="spinner" aria-hidden="true" />}
          {connect.isPending ? 'Checking with Twilio…' : 'Connect Twilio'}
        </button>
      </div>
    </form>
  )
}

function TelnyxConnectForm({ isReplacing }: { isReplacing: boolean }) {
  const ids = useId()
  const [apiKey, setApiKey] = useState('')
  const [publicKey, setPublicKey] = useState('')
  const connect = useCarrierConnectionChange('telnyx', connectTelnyxAccount)
  const errorId = `${ids}-error`

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (apiKey.trim() === '' || connect.isPending) return
    const request = { apiKey: apiKey.trim(), ...(publicKey.trim() === '' ? {} : { publicKey: publicKey.trim() }) }
    connect.mutate(request, {
      onSuccess: () => {
        setApiKey('')
        setPublicKey('')
        toast.success('Telnyx account connected')
      },
    })
  }

  return (
    <form className="connection-form" onSubmit={handleSubmit} noValidate aria-label="Connect a Telnyx account">
      <div className="field">
        <label htmlFor={`${ids}-key`}>{isReplacing ? 'Replace with another API key' : 'Telnyx API key'}</label>
        <input
          id={`${ids}-key`}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={apiKey}
          aria-invalid={connect.isError}
          aria-describedby={connect.isError ? errorId : undefined}
          onChange={(event) => {
            setApiKey(event.target.value)
            if (connect.isError) connect.reset()
          }}
        />
        <ConnectError error={connect.error} id={errorId} carrier="telnyx" />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-public-key`}>
          Webhook public key <span className="optional">(optional)</span>
        </label>
        <input
          id={`${ids}-public-key`}
          autoComplete="off"
          spellCheck={false}
          value={publicKey}
          onChange={(event) => setPublicKey(event.target.value)}
        />
        <p className="field-hint">
          Telnyx portal → API Keys, and Public Key for webhooks (so an order announces itself at once). Checked with
          Telnyx first, stored encrypted, never shown again.
        </p>
      </div>
      <div className="connection-actions">
        <button type="submit" className="button button-primary" disabled={apiKey.trim() === '' || connect.isPending}>
          {connect.isPending && <span className="spinner" aria-hidden="true" />}
          {connect.isPending ? 'Checking with Telnyx…' : 'Connect Telnyx'}
        </button>
      </div>
    </form>
  )
}
