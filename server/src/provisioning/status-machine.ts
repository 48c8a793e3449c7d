import type { FailureReason } from '@dialtone/shared/provisioning-stats'
import type { PhoneNumberStatus } from '@dialtone/shared/phone-number'

/**
 * Status only moves forward. Everything that can change a number (webhook, poller, "check now", release)
 * is expressed as a signal and goes through this one table, so no source can move a number backwards.
 */
export const allowedPreviousStatuses = {
  active: ['pending'],
  failed: ['pending'],
  released: ['pending', 'active', 'failed'],
} as const satisfies Record<Exclude<PhoneNumberStatus, 'pending'>, readonly PhoneNumberStatus[]>

export type StatusSignal =
  | { kind: 'assigned'; number: string }
  | { kind: 'failed'; failureCode: FailureReason; failureReason: string }
  | { kind: 'released' }
  | { kind: 'still-pending' }

export function targetStatusOf(signal: StatusSignal): Exclude<PhoneNumberStatus, 'pending'> | null {
  switch (signal.kind) {
    case 'assigned':
      return 'active'
    case 'failed':
      return 'failed'
    case 'released':
      return 'released'
    case 'still-pending':
      return null
  }
}

const e164 = /^\+[1-9]\d{6,14}$/

/** What Vapi's view of a number means for dialtone. Readiness = a number is present; Vapi's own status may still say activating. */
export function signalFromVapi(vapi: {
  status?: string | null | undefined
  number?: string | null | undefined
}): StatusSignal {
  if (typeof vapi.number === 'string' && e164.test(vapi.number)) return { kind: 'assigned', number: vapi.number }
  if (vapi.status === 'blocked') {
    return {
      kind: 'failed',
      failureCode: 'blocked',
      failureReason:
        'Vapi blocked this number before it was assigned (often a billing or inventory problem). Nothing will be charged for it; try again or pick another area code.',
    }
  }
  return { kind: 'still-pending' }
}

export const deletedAtVapiSignal: StatusSignal = {
  kind: 'failed',
  failureCode: 'deleted_at_vapi',
  failureReason: 'This number no longer exists at Vapi (it was deleted there).',
}

export function deadlineExceededSignal(deadlineMs: number): StatusSignal {
  const minutes = Math.round(deadlineMs / 60_000)
  const span =
    minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${Math.round(deadlineMs / 1000)} seconds`
  return {
    kind: 'failed',
    failureCode: 'deadline_exceeded',
    failureReason: `Vapi did not assign a number within ${span}. It has been given up; try again, or pick another area code.`,
  }
}
