import { z } from 'zod'
import type { PhoneNumber } from '@dialtone/shared/phone-number'

const assistantRefSchema = z.object({ id: z.string(), name: z.string() })
export type AssistantRef = z.infer<typeof assistantRefSchema>

const withAssistantSchema = z.object({ assistant: assistantRefSchema.nullable() })

/** Who answers the number (PhoneNumber.assistant); null when nobody does, or the server did not say. */
export function assistantOf(phoneNumber: PhoneNumber): AssistantRef | null {
  const parsed = withAssistantSchema.safeParse(phoneNumber)
  return parsed.success ? parsed.data.assistant : null
}

/** A copy of the number answered by `assistant`, everything else as it was (the version too). */
export function withAssistant(phoneNumber: PhoneNumber, assistant: AssistantRef | null): PhoneNumber {
  return Object.assign({}, phoneNumber, { assistant })
}

/** Only numbers Vapi holds can be given an assistant: not a failed request nor a released number. */
export function canHaveAssistant(phoneNumber: PhoneNumber): boolean {
  return phoneNumber.status === 'pending' || phoneNumber.status === 'active'
}
