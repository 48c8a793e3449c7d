import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  envelopeTo: string[]
  parsed: ParsedMail
  raw: string
}

/** A header as it was sent (mailparser turns List-* headers into objects), unfolded, without its name. */
export function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((header) => header.key === name.toLowerCase())?.line
  return line
    ?.replace(/\r?\n[ \t]+/g, ' ')
    .slice(name.length + 1)
    .trim()
}

/**
 * A real SMTP server on a loopback port (smtp-server, nodemailer's own), keeping every mail it accepts. It can be
 * stopped and started again on the same port, to play a mail server that is down for a while.
 */
export async function startSmtpReceiver() {
  const received: ReceivedMail[] = []
  let port = 0
  let server: SMTPServer | null = null

  const listen = async () => {
    const next = new SMTPServer({
      authOptional: true,
      // No certificate here: nodemailer would try STARTTLS if offered.
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8')
          simpleParser(raw)
            .then((parsed) => {
              received.push({ envelopeTo: session.envelope.rcptTo.map((to) => to.address), parsed, raw })
              callback()
            })
            .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))))
        })
      },
    })
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject)
      next.listen(port, '127.0.0.1', () => resolve())
    })
    const address = next.server.address() as AddressInfo
    port = address.port
    server = next
  }

  await listen()

  return {
    received,
    get url() {
      return `smtp://127.0.0.1:${port}`
    },
    to: (address: string) => received.filter((mail) => mail.envelopeTo.includes(address)),
    /** Closes the port: connections are refused until start(). */
    stop: async () => {
      const current = server
      server = null
      if (current) await new Promise<void>((resolve) => current.close(() => resolve()))
    },
    start: listen,
  }
}

export type SmtpReceiver = Awaited<ReturnType<typeof startSmtpReceiver>>
