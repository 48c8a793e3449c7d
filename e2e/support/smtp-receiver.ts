import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** A real SMTP server on a loopback port (smtp-server, nodemailer's own) that keeps every mail it accepts. */
export async function startSmtpReceiver() {
  const received: { to: string[]; parsed: ParsedMail }[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          received.push({ to: session.envelope.rcptTo.map((to) => to.address), parsed })
          callback()
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))))
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.server.address() as AddressInfo).port
  return {
    url: `smtp://127.0.0.1:${port}`,
    subjectsTo: (address: string) =>
      received.filter((mail) => mail.to.includes(address)).map((mail) => mail.parsed.subject ?? ''),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
