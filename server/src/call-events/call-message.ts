import { createHash } from 'node:crypto'
import { z } from 'zod'

// What dialtone reads of Vapi's call messages (the ServerMessage* schemas of Vapi's spec). Everything else is kept
// as sent and passed on untouched.

/** Messages whose sender waits for the answer (Vapi's ServerMessageResponse*). */
export const answeredMessageTypes = new Set([
  'assistant-request',
  'tool-calls',
  'transfer-destination-request',
  'knowledge-base-request',
  'voice-request',
  'handoff-destination-request',
  'call.endpointing.request',
  'campaign.predial',
])

/** The sandbox's own message about a number being assigned: provisioning's, not a call's. */
export const phoneNumberStatusMessageType = 'phone-number-status-update'

export const callMessageSchema = z.looseObject({
  type: z.string().min(1).max(200),
  timestamp: z.union([z.number(), z.string()]).optional(),
  status: z.string().max(100).optional(),
  endedReason: z.string().max(300).optional(),
  role: z.string().max(100).optional(),
  transcriptType: z.string().max(100).optional(),
  phoneNumber: z.looseObject({ id: z.string().max(200).optional() }).nullish(),
  call: z
    .looseObject({
      id: z.string().min(1).max(200).optional(),
      phoneNumberId: z.string().max(200).nullish(),
      startedAt: z.string().max(100).nullish(),
    })
    .nullish(),
  startedAt: z.string().max(100).nullish(),
  endedAt: z.string().max(100).nullish(),
})
export type CallMessage = z.infer<typeof callMessageSchema>

/** Vapi's id of the number a message is about: the message's phoneNumber, else the call's. */
export function vapiPhoneNumberIdOf(message: CallMessage): string | null {
  return message.phoneNumber?.id ?? message.call?.phoneNumberId ?? null
}

/** When Vapi says the message happened: its timestamp (ms or an ISO string); null when absent or unreadable. */
export function occurredAtOf(message: CallMessage): Date | null {
  const { timestamp } = message
  if (timestamp === undefined) return null
  const date = typeof timestamp === 'number' ? new Date(timestamp) : new Date(timestamp)
  return Number.isNaN(date.getTime()) ? null : date
}

/**
 * Vapi's identity of a message: its call, type and timestamp (with the few fields that tell apart two messages
 * of the same type in the same millisecond: status, role, transcript type). The same message received again, or
 * processed again from the log with its transcript redacted, has the same key. Without a call or a timestamp the
 * bytes themselves are the identity.
 */
export function messageKeyOf(message: CallMessage, rawBody: Uint8Array | string): string {
  const callId = message.call?.id
  if (callId && message.timestamp !== undefined) {
    const parts = [
      callId,
      message.type,
      String(message.timestamp),
      message.status,
      message.role,
      message.transcriptType,
    ]
    return `call:${parts.map((part) => part ?? '').join('|')}`
  }
  return `sha256:${createHash('sha256').update(rawBody).digest('hex')}`
}

const recordedFields = [
  'transcript',
  'messages',
  'messagesOpenAIFormatted',
  'recordingUrl',
  'stereoRecordingUrl',
  'artifact',
  'summary',
  'analysis',
  'originalTranscript',
  'text',
  'input',
  'output',
  'toolCallList',
  'toolWithToolCallList',
]

/**
 * What dialtone keeps of a message unless the organisation asked for transcripts: the message without what was
 * said or recorded (transcripts, conversation, recordings, artifacts, tool arguments), at the top and in `call`.
 */
export function redactCallMessage(message: CallMessage): Record<string, unknown> {
  const strip = (value: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(value).filter(([key]) => !recordedFields.includes(key)))
  const kept = strip(message)
  if (message.call) kept.call = strip(message.call)
  return kept
}

// Ended reasons that mean the line or the assistant is broken rather than a conversation ending (Vapi's
// endedReason enum): the start failed, the assistant request failed or returned nothing usable, a pipeline
// provider failed, the carrier could not connect the call.
const brokenPrefixes = ['pipeline-error-', 'call.start.error', 'call.in-progress.error-', 'assistant-request-']
const brokenReasons = new Set([
  'assistant-error',
  'assistant-not-found',
  'assistant-not-valid',
  'assistant-join-timed-out',
  'call-start-error-neither-assistant-nor-server-set',
  'call.start.assistant-version-error-validation',
  'phone-call-provider-closed-websocket',
  'phone-call-provider-bypass-enabled-but-no-call-received',
  'twilio-failed-to-connect-call',
  'vonage-failed-to-connect-call',
  'vonage-disconnected',
  'vonage-rejected',
  'worker-shutdown',
])

export function isBrokenEndedReason(reason: string | null | undefined): boolean {
  if (!reason) return false
  return brokenReasons.has(reason) || brokenPrefixes.some((prefix) => reason.startsWith(prefix))
}

/** How many of the latest ended calls must all be broken for the number to be flagged. */
export const failingCallsInARow = 3

/** A call's stage: 1 queued, 2 ringing, 3 in progress, 4 ended (the stages only ever grow). */
export type CallStage = 1 | 2 | 3 | 4

/** The stage a message moves its call to, with the ended reason and time when it ended; null: it moves nothing. */
export function callStageOf(message: CallMessage): { stage: CallStage; endedReason: string | null } | null {
  if (message.type === 'end-of-call-report') return { stage: 4, endedReason: message.endedReason ?? null }
  if (message.type !== 'status-update') return null
  switch (message.status) {
    case 'scheduled':
    case 'queued':
      return { stage: 1, endedReason: null }
    case 'ringing':
      return { stage: 2, endedReason: null }
    case 'in-progress':
    case 'forwarding':
      return { stage: 3, endedReason: null }
    case 'ended':
      return { stage: 4, endedReason: message.endedReason ?? null }
    default:
      return null
  }
}
