import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import type { MailSummary } from '@dialtone/shared/notifications'
import { fetchMail, fetchMailbox } from './mailbox-api.ts'
import { mailboxQueryKeys } from './mailbox-query-keys.ts'

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })

function describeStatus(mail: MailSummary): string {
  switch (mail.status) {
    case 'sent':
      return mail.deliveredVia === 'mailbox' ? 'Kept in the sandbox mailbox' : 'Sent'
    case 'queued':
    case 'sending':
      return mail.attempts === 0 ? 'Waiting to be sent' : `Not sent yet: retrying (attempt ${mail.attempts} failed)`
    case 'failed':
      return `Could not be sent after ${mail.attempts} attempts`
  }
}

/**
 * The signed-in user's mail. In the sandbox it is the only place mail goes (clearly marked); with SMTP it is the
 * log of what was sent, where a mail given up after its retries stays visible with its error.
 */
export function MailboxPage() {
  const [openId, setOpenId] = useState<string | null>(null)
  // Mail is written by the worker a few seconds after an event; looking again now and then is enough here.
  const list = useQuery({ queryKey: mailboxQueryKeys.list(), queryFn: fetchMailbox, refetchInterval: 3_000 })
  const isSandboxMailbox = list.data?.mailDelivery === 'mailbox'

  return (
    <main id="main" className="page mailbox-page">
      <h1>{isSandboxMailbox ? 'Sandbox mailbox' : 'Mailbox'}</h1>
      {isSandboxMailbox && (
        <p className="mailbox-sandbox-note" role="note" data-testid="sandbox-mailbox-note">
          <strong>Sandbox mailbox:</strong> this dialtone has no mail server (no SMTP_URL), so the mail it would have
          sent you is kept here. Nothing left this machine.
        </p>
      )}
      {list.isPending && <p aria-busy="true">Loading your mail…</p>}
      {list.isError && <p role="alert">{list.error.message}</p>}
      {list.data && list.data.items.length === 0 && (
        <p className="muted">No mail yet. It arrives a few seconds after one of your numbers changes.</p>
      )}
      {list.data && list.data.items.length > 0 && (
        <div className="mailbox">
          <ul className="mail-list" aria-label="Mail">
            {list.data.items.map((mail) => (
              <li key={mail.id}>
                <button
                  type="button"
                  className={`mail-item mail-${mail.status}${openId === mail.id ? ' mail-item-open' : ''}`}
                  aria-pressed={openId === mail.id}
                  onClick={() => setOpenId(mail.id)}
                >
                  <span className="mail-subject">{mail.subject ?? '(being written)'}</span>
                  <span className="mail-meta">
                    {dateFormat.format(new Date(mail.sentAt ?? mail.createdAt))} · {describeStatus(mail)}
                  </span>
                  {mail.status === 'failed' && mail.lastError && (
                    <span className="mail-error">Last error: {mail.lastError}</span>
                  )}
                </button>
              </li>
            ))}
          </ul>
          {openId ? <OpenMail id={openId} /> : <p className="muted mail-hint">Choose a mail to read it.</p>}
        </div>
      )}
    </main>
  )
}

function OpenMail({ id }: { id: string }) {
  const [view, setView] = useState<'html' | 'text'>('html')
  const query = useQuery({ queryKey: mailboxQueryKeys.detail(id), queryFn: () => fetchMail(id) })
  if (query.isPending) return <p aria-busy="true">Opening…</p>
  if (query.isError) return <p role="alert">{query.error.message}</p>
  const mail = query.data
  return (
    <article className="open-mail panel" aria-label={mail.subject ?? 'Mail'}>
      <header>
        <h2>{mail.subject}</h2>
        <p className="muted">
          To {mail.recipient} · {describeStatus(mail)}
        </p>
        <div className="filter-group" role="group" aria-label="Show as">
          {(['html', 'text'] as const).map((option) => (
            <button
              key={option}
              type="button"
              className="filter-button"
              aria-pressed={view === option}
              onClick={() => setView(option)}
            >
              {option === 'html' ? 'HTML' : 'Plain text'}
            </button>
          ))}
        </div>
      </header>
      {view === 'html' && mail.htmlBody ? (
        // Sandboxed: the mail's HTML runs nothing and cannot reach this page.
        <iframe className="mail-html" title="The mail as HTML" sandbox="" srcDoc={mail.htmlBody} />
      ) : (
        <pre className="mail-text">{mail.textBody}</pre>
      )}
    </article>
  )
}
