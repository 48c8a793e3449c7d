import type { AdminAlertPayload } from './notification-payloads.ts'
import { renderMail, type MailFooter, type RenderedMail } from './render-mail.ts'

export function renderAlertMail(input: {
  payload: AdminAlertPayload
  publicUrl: string
  footer: MailFooter
}): RenderedMail {
  const { alert, change } = input.payload
  const isOpen = change === 'opened'
  const subject = isOpen ? `Alert: ${alert.summary}` : `Resolved: ${alert.closingSummary ?? alert.summary}`
  const lines = isOpen
    ? [alert.summary, `Opened ${alert.openedAt}.`, 'It closes by itself, with another mail, when the condition clears.']
    : [
        alert.closingSummary ?? 'The condition cleared.',
        `Open from ${alert.openedAt} to ${alert.closedAt ?? 'now'}.`,
        `It was: ${alert.summary}`,
      ]
  return renderMail({
    subject,
    intro: isOpen ? 'A dialtone alert opened:' : 'A dialtone alert closed:',
    sections: [
      {
        heading: isOpen ? 'Provisioning needs attention' : 'Back to normal',
        lines,
        link: { label: 'Open the admin page', url: `${input.publicUrl}/admin` },
      },
    ],
    footer: input.footer,
  })
}
