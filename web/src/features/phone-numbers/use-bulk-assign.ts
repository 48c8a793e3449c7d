import { useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { authQueryKeys } from '../auth/auth-query-keys.ts'
import { isApiError } from '../../lib/api-error.ts'
import { describeCreateError, type ErrorExplanation } from './describe-create-error.ts'
import { applyPhoneNumberUpdate } from './phone-number-cache.ts'
import type { AssistantRef } from './phone-number-assistant.ts'
import { updatePhoneNumber } from './phone-numbers-api.ts'

export interface BulkAssignment {
  assistant: AssistantRef | null
  total: number
  done: number
  failures: { phoneNumber: PhoneNumber; explanation: ErrorExplanation }[]
  isRunning: boolean
}

/**
 * Gives several numbers the same assistant: one PATCH per number, one after another (Vapi's rate limit is per
 * account, and the owner sees each one land). A refusal is kept with its number and the rest carry on.
 */
export function useBulkAssign() {
  const queryClient = useQueryClient()
  const [assignment, setAssignment] = useState<BulkAssignment | null>(null)

  async function assign(phoneNumbers: readonly PhoneNumber[], assistant: AssistantRef | null): Promise<void> {
    let current: BulkAssignment = { assistant, total: phoneNumbers.length, done: 0, failures: [], isRunning: true }
    setAssignment(current)
    for (const phoneNumber of phoneNumbers) {
      try {
        const updated = await updatePhoneNumber(phoneNumber.id, { assistantId: assistant?.id ?? null })
        applyPhoneNumberUpdate(queryClient, updated)
        current = { ...current, done: current.done + 1 }
      } catch (error) {
        if (isApiError(error) && error.status === 401) {
          void queryClient.invalidateQueries({ queryKey: authQueryKeys.session() })
        }
        const failure = { phoneNumber, explanation: describeCreateError(error) }
        current = { ...current, done: current.done + 1, failures: [...current.failures, failure] }
      }
      setAssignment(current)
    }
    setAssignment({ ...current, isRunning: false })
  }

  return { assignment, assign, dismiss: () => setAssignment(null) }
}
