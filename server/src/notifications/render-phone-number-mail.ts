import type { MailEvent } from './notification-payloads.ts'
import { renderMail, type MailFooter, type MailSection, type RenderedMail } from './render-mail.ts'

/** +14155550134 → +1 (415) 555-0134; other numbers as they are. */
export function formatPhoneNumber(number: string): string {
  const match = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(number)
  return match ? `+1 (${match[1]}) ${match[2]}-${match[3]}` : number
}

/** "Support line, +1 (415) 555-0134" or "your number in area code 415" when none was assigned. */
function describeNumber(event: MailEvent): string {
  const number = event.number ? formatPhoneNumber(event.number) : `a number in area code ${event.areaCode}`
  return event.name ? `${event.name} (${number})` : number
}

function subjectNumber(event: MailEvent): string {
  const number = event.number ? formatPhoneNumber(event.number) : `request in area code ${event.areaCode}`
  return `Your number ${number}${event.name ? ` (${event.name})` : ''}`
}

/** What an owner can do about each way a number fails. */
export function adviceForFailure(failureCode: string | null): string {
  switch (failureCode) {
    case 'deadline_exceeded':
      return 'Request a new number from your dashboard; if it happens again, try a nearby area code.'
    case 'blocked':
      return 'Nothing was charged. Check your Vapi billing, then request a new number or pick another area code.'
    case 'deleted_at_vapi':
      return 'The number was deleted in Vapi. Request a new one if you still need it.'
    default:
      return 'Request a new number from your dashboard; nothing was charged for this one.'
  }
}

const headlines = {
  live: (what: string) => `${what} is live`,
  failed: (what: string) => `${what} could not be set up`,
  stuck: (what: string) => `${what} is taking longer than usual`,
  released: (what: string) => `${what} was released`,
} as const satisfies Record<MailEvent['kind'], (what: string) => string>

function linesFor(event: MailEvent): string[] {
  switch (event.kind) {
    case 'live':
      return ['It can take calls now.']
    case 'failed':
      return [
        `Why: ${event.failureReason ?? 'Vapi did not assign a number.'}`,
        `What to do: ${adviceForFailure(event.failureCode)}`,
      ]
    case 'stuck':
      return [
        'Vapi usually assigns a number within half a minute. dialtone keeps checking and mails you when it changes; nothing needs doing yet.',
      ]
    case 'released':
      return ['It no longer takes calls and is no longer billed.']
  }
}

export function phoneNumberUrl(publicUrl: string, phoneNumberId: string): string {
  return `${publicUrl}/?number=${encodeURIComponent(phoneNumberId)}`
}

/** One mail about one or several events of the recipient's organisation's numbers. */
export function renderPhoneNumberMail(input: {
  events: MailEvent[]
  publicUrl: string
  footer: MailFooter
}): RenderedMail {
  const { events, publicUrl, footer } = input
  const first = events[0]
  if (!first) throw new Error('a mail needs at least one event')
  const sections: MailSection[] = events.map((event) => ({
    heading: headlines[event.kind](describeNumber(event)),
    lines: linesFor(event),
    link: { label: 'Open it in dialtone', url: phoneNumberUrl(publicUrl, event.phoneNumberId) },
  }))
  const subject =
    events.length === 1 ? headlines[first.kind](subjectNumber(first)) : `${events.length} updates on your numbers`
  const intro =
    events.length === 1
      ? 'An update on a phone number of your organisation:'
      : 'Updates on phone numbers of your organisation:'
  return renderMail({ subject, intro, sections, footer })
}
