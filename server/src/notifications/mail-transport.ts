import type { Transporter } from 'nodemailer'

export interface OutgoingMail {
  from: string
  to: string
  subject: string
  text: string
  html: string
  /** Stable per queued mail, so a receiver can tell a resend after a crash from a new mail. */
  messageId: string
  headers: Record<string, string>
}

/**
 * Where mail goes: an SMTP server, the sandbox's local mailbox (the outbox row itself, shown in the app), or
 * nowhere (no SMTP_URL outside the sandbox): then nothing is queued at all.
 */
export type MailTransport =
  | { kind: 'smtp'; send: (mail: OutgoingMail) => Promise<void>; close: () => void }
  | { kind: 'mailbox' }
  | { kind: 'off' }

/** nodemailer's SMTP transport from a URL (smtp://user:pass@host:587, smtps://… for implicit TLS). */
export function createSmtpTransport(url: string): MailTransport {
  // nodemailer is loaded with the first mail, not at start: a process without SMTP_URL never holds it in memory.
  let transporter: Promise<Transporter> | null = null
  const connect = () =>
    (transporter ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        url,
        // A server that does not answer must fail this attempt, not hold the worker: the outbox retries later.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      }),
    ))
  return {
    kind: 'smtp',
    send: async (mail) => {
      await (
        await connect()
      ).sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
      })
    },
    close: () => void transporter?.then((created) => created.close()),
  }
}

/**
 * SMTP when SMTP_URL is set; otherwise, in the sandbox on the embedded database (a machine-local playground),
 * the local mailbox so `pnpm start` shows the whole flow; anywhere else, no mail.
 */
export function chooseMailTransport(input: {
  smtpUrl: string | undefined
  isSandbox: boolean
  isEmbeddedDatabase: boolean
}): MailTransport {
  if (input.smtpUrl) return createSmtpTransport(input.smtpUrl)
  return input.isSandbox && input.isEmbeddedDatabase ? { kind: 'mailbox' } : { kind: 'off' }
}
