import type { PhoneNumber, PhoneNumberStatus } from '@dialtone/shared/phone-number'

export interface StatusTransition {
  phoneNumber: PhoneNumber
  to: 'active' | 'failed'
}

/**
 * Numbers that went live or failed between two looks at the list. A number seen for the first time counts
 * only if it is already live or failed (created elsewhere and finished before this tab saw it pending); the
 * first look (`previous` null) is the initial load, which announces nothing.
 */
export function findStatusTransitions(
  previous: ReadonlyMap<string, PhoneNumberStatus> | null,
  current: readonly PhoneNumber[],
): StatusTransition[] {
  if (previous === null) return []
  const transitions: StatusTransition[] = []
  for (const phoneNumber of current) {
    const before = previous.get(phoneNumber.id)
    if (before === phoneNumber.status) continue
    if (before !== undefined && before !== 'pending') continue
    if (phoneNumber.status === 'active' || phoneNumber.status === 'failed') {
      transitions.push({ phoneNumber, to: phoneNumber.status })
    }
  }
  return transitions
}

export function snapshotStatuses(phoneNumbers: readonly PhoneNumber[]): Map<string, PhoneNumberStatus> {
  return new Map(phoneNumbers.map((phoneNumber) => [phoneNumber.id, phoneNumber.status]))
}
