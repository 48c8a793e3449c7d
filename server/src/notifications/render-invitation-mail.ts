import type { InvitationMailPayload } from './notification-payloads.ts'
import { renderMail, type RenderedMail } from './render-mail.ts'

const roleWords = {
  owner: 'an owner (everything, including members and settings)',
  admin: 'an admin (buy, release and assign numbers)',
  member: 'a member (watch and check numbers)',
} as const

/** The mail an invited person gets: who invited them, to what, as what, and the link (valid until it expires). */
export function renderInvitationMail(payload: InvitationMailPayload): RenderedMail {
  const expires = new Date(payload.expiresAt).toUTCString()
  return renderMail({
    subject: `${payload.inviterName} invited you to ${payload.organizationName} on dialtone`,
    intro: `${payload.inviterName} (${payload.inviterEmail}) invited you to join ${payload.organizationName} on dialtone as ${roleWords[payload.role]}.`,
    sections: [
      {
        heading: 'Join the team',
        lines: [
          'Open the link, then sign in, or create an account, with this email address.',
          `The invitation works until ${expires}.`,
        ],
        link: { label: `Join ${payload.organizationName}`, url: payload.acceptUrl },
      },
    ],
    footer: { reason: 'You get this because someone invited this address to their organisation on dialtone.' },
  })
}
