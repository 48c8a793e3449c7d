import type { InboundMessage, InboundVerification } from '@dialtone/shared/webhook-log'

export type Tone = 'good' | 'neutral' | 'bad'

/** What dialtone did, in words, for the outcomes the handlings answer; any other is shown as sent. */
const outcomeWords: Record<string, { label: string; tone: Tone }> = {
  transitioned: { label: 'Changed the number', tone: 'good' },
  duplicate: { label: 'Already handled', tone: 'neutral' },
  unchanged: { label: 'Nothing to change', tone: 'neutral' },
  ignored: { label: 'Not for dialtone', tone: 'neutral' },
  'not-ours': { label: 'Not our number', tone: 'neutral' },
  checking: { label: 'Asked Vapi', tone: 'neutral' },
  relayed: { label: 'Relayed', tone: 'good' },
  applied: { label: 'Updated the call', tone: 'good' },
  answered: { label: 'Your server answered', tone: 'good' },
  fallback: { label: 'Fallback answer', tone: 'neutral' },
  replayed: { label: 'Replayed', tone: 'neutral' },
  recorded: { label: 'Recorded', tone: 'good' },
  malformed: { label: 'Malformed', tone: 'bad' },
  error: { label: 'Failed', tone: 'bad' },
  refused: { label: 'Refused', tone: 'bad' },
}

/** The outcomes offered in the filter, in the order people look for them. */
export const outcomeChoices: { value: string; label: string }[] = [
  { value: '', label: 'Any' },
  { value: 'transitioned', label: 'Changed the number' },
  { value: 'duplicate', label: 'Already handled' },
  { value: 'unchanged', label: 'Nothing to change' },
  { value: 'applied', label: 'Updated the call' },
  { value: 'answered', label: 'Your server answered' },
  { value: 'fallback', label: 'Fallback answer' },
  { value: 'ignored', label: 'Not for dialtone' },
  { value: 'not-ours', label: 'Not our number' },
  { value: 'error', label: 'Failed' },
  { value: 'malformed', label: 'Malformed' },
  { value: 'refused', label: 'Refused (failed verification)' },
]

/** Message types Vapi sends, offered as suggestions in the type filter. */
export const knownMessageTypes = [
  'phone-number-status-update',
  'status-update',
  'assistant-request',
  'end-of-call-report',
  'transcript',
  'speech-update',
  'conversation-update',
  'hang',
  'tool-calls',
  'transfer-destination-request',
]

export function describeOutcome(outcome: string): { label: string; tone: Tone } {
  return outcomeWords[outcome] ?? { label: outcome, tone: 'neutral' }
}

export const verificationLabels: Record<InboundVerification, string> = {
  ok: 'Verified',
  'bad-signature': 'Bad signature',
  'missing-credentials': 'No credentials',
  stale: 'Too old',
}

/** The relay's column: its status and how long the organisation's server took. */
export function describeRelay(relay: InboundMessage['relay']): string {
  if (relay === null) return '—'
  const latency = relay.latencyMs === null ? '' : ` in ${relay.latencyMs} ms`
  const attempts = relay.attempts > 1 ? ` (${relay.attempts} tries)` : ''
  return `${relay.status}${latency}${attempts}`
}

/** Ids are UUIDs: their first block is enough to tell calls (or organisations) apart in a table. */
export function shortCallId(id: string | null): string {
  if (id === null) return '—'
  return id.length > 13 ? `${id.slice(0, 8)}…` : id
}
