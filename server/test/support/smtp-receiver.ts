import type { AddressInfo, Socket } from 'node:net'
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
 * What the receiver does wrong on purpose, for the next `times` messages: refuse a recipient or the message with an
 * SMTP code (4xx: try later; 5xx: never), or take the whole message and then drop the connection before answering,
 * so the sender cannot know it arrived.
 */
export type SmtpFault =
  | { kind: 'refuse'; stage: 'rcpt' | 'data'; code: number; message: string; times: number }
  | { kind: 'drop-after-data'; times: number }

/**
 * A real SMTP server on a loopback port (smtp-server, nodemailer's own), keeping every mail it accepts. It can be
 * stopped and started again on the same port, to play a mail server that is down for a while, and told to fail
 * (`fail`) as real mail servers do.
 */
export async function startSmtpReceiver() {
  const received: ReceivedMail[] = []
  let port = 0
  let server: SMTPServer | null = null
  let fault: SmtpFault | null = null
  const sockets = new Set<Socket>()

  /** The fault, if it applies to this message (and counts it down). */
  const takeFault = (matches: (current: SmtpFault) => boolean): SmtpFault | null => {
    if (!fault || !matches(fault)) return null
    const current = fault
    fault = current.times > 1 ? { ...current, times: current.times - 1 } : null
    return current
  }
  const refusal = (current: SmtpFault) =>
    Object.assign(new Error(current.kind === 'refuse' ? current.message : 'dropped'), {
      responseCode: current.kind === 'refuse' ? current.code : 421,
    })

  const listen = async () => {
    const next = new SMTPServer({
      authOptional: true,
      // No certificate here: nodemailer would try STARTTLS if offered.
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(_address, _session, callback) {
        const current = takeFault((f) => f.kind === 'refuse' && f.stage === 'rcpt')
        callback(current ? refusal(current) : undefined)
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8')
          const refused = takeFault((f) => f.kind === 'refuse' && f.stage === 'data')
          if (refused) {
            callback(refusal(refused))
            return
          }
          const dropped = takeFault((f) => f.kind === 'drop-after-data')
          simpleParser(raw)
            .then((parsed) => {
              received.push({ envelopeTo: session.envelope.rcptTo.map((to) => to.address), parsed, raw })
              // Kept, but the sender never hears "250 OK": its connection is cut first.
              if (dropped) for (const socket of sockets) socket.destroy()
              else callback()
            })
            .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))))
        })
      },
    })
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject)
      next.listen(port, '127.0.0.1', () => resolve())
    })
    next.server.on('connection', (socket: Socket) => {
      sockets.add(socket)
      socket.once('close', () => sockets.delete(socket))
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
    /** Fails the next messages as `next` says; null: behaves again. */
    fail: (next: SmtpFault | null) => {
      fault = next
    },
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
