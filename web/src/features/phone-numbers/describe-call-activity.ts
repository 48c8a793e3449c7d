/** Vapi's endedReason in words a person reads on a card; an unknown reason is shown with its dashes as spaces. */
const endedReasonWords: Record<string, string> = {
  'customer-ended-call': 'the caller hung up',
  'assistant-ended-call': 'the assistant ended it',
  'assistant-said-end-call-phrase': 'the assistant said goodbye',
  'assistant-forwarded-call': 'forwarded',
  'silence-timed-out': 'silence timed out',
  'exceeded-max-duration': 'reached the time limit',
  'customer-did-not-answer': 'no answer',
  'customer-busy': 'line busy',
  voicemail: 'went to voicemail',
  'assistant-error': 'the assistant failed',
  'assistant-not-found': 'no such assistant',
  'assistant-not-valid': 'the assistant is not valid',
  'assistant-request-failed': 'no assistant was chosen',
  'assistant-request-returned-error': 'no assistant was chosen',
  'phone-call-provider-closed-websocket': 'the line dropped',
  'twilio-failed-to-connect-call': 'the carrier could not connect',
}

export function describeEndedReason(reason: string | null): string | null {
  if (reason === null) return null
  if (endedReasonWords[reason]) return endedReasonWords[reason]
  if (reason.startsWith('pipeline-error')) return 'the assistant failed (pipeline error)'
  return reason.replaceAll('-', ' ')
}

/** A call's running time as a clock: 0:07, 2:41, 1:02:09. */
export function formatCallDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds))
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  const rest = String(seconds % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`
}
