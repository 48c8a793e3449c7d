import type { PhoneNumber } from '@dialtone/shared/phone-number'

export type AssistantRef = NonNullable<PhoneNumber['assistant']>

/** Who answers the number; null when nobody does and its calls ring out. */
export function assistantOf(phoneNumber: PhoneNumber): AssistantRef | null {
  return phoneNumber.assistant
}

/** A copy of the number answered by `assistant`, everything else as it was (the version too). */
export function withAssistant(phoneNumber: PhoneNumber, assistant: AssistantRef | null): PhoneNumber {
  return { ...phoneNumber, assistant }
}

/** Only numbers Vapi holds can be given an assistant: not a failed request nor a released number. */
export function canHaveAssistant(phoneNumber: PhoneNumber): boolean {
  return phoneNumber.status === 'pending' || phoneNumber.status === 'active'
}
