import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { CreatePhoneNumberRequest, PhoneNumber } from '@dialtone/shared/phone-number'
import { createIdempotencyKey } from '../../lib/create-idempotency-key.ts'
import {
  createPhoneNumber,
  refreshAllPendingPhoneNumbers,
  refreshPhoneNumber,
  releasePhoneNumber,
  updatePhoneNumber,
} from './phone-numbers-api.ts'
import { applyOptimisticChange, applyPhoneNumberUpdate, rollBackOptimisticChange } from './phone-number-cache.ts'
import { withAssistant, type AssistantRef } from './phone-number-assistant.ts'
import { phoneNumberQueryKeys } from './phone-number-query-keys.ts'

export function useCreatePhoneNumber() {
  const queryClient = useQueryClient()
  return useMutation({
    // One key per submit: a double click or a network retry of the same submit never buys two numbers.
    mutationFn: (request: CreatePhoneNumberRequest) => createPhoneNumber(request, createIdempotencyKey()),
    onSuccess: (phoneNumber) => applyPhoneNumberUpdate(queryClient, phoneNumber),
  })
}

export function useRefreshPhoneNumber() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => refreshPhoneNumber(id),
    onSuccess: (phoneNumber) => applyPhoneNumberUpdate(queryClient, phoneNumber),
  })
}

export function useRefreshAllPending() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: refreshAllPendingPhoneNumbers,
    // Each change also arrives as a socket event; the refetch covers a socket that is not connected.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: phoneNumberQueryKeys.lists() }),
  })
}

export function useReleasePhoneNumber() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => releasePhoneNumber(id),
    onSuccess: (phoneNumber) => applyPhoneNumberUpdate(queryClient, phoneNumber),
  })
}

/**
 * Changes who answers one number. The card shows the new assistant at once; a refusal puts the old one back
 * (unless another tab's newer change arrived meanwhile). The server's answer, and its socket event to every
 * other tab, carry the next version.
 */
export function useAssignAssistant() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ phoneNumber, assistant }: { phoneNumber: PhoneNumber; assistant: AssistantRef | null }) =>
      updatePhoneNumber(phoneNumber.id, { assistantId: assistant?.id ?? null }),
    onMutate: async ({ phoneNumber, assistant }) => {
      // A list answer in flight was read before this change and would paint the old assistant over it.
      await queryClient.cancelQueries({ queryKey: phoneNumberQueryKeys.lists() })
      const previous = applyOptimisticChange(queryClient, phoneNumber.id, (cached) => withAssistant(cached, assistant))
      return { previous }
    },
    onError: (_error, _variables, context) => {
      if (context?.previous) rollBackOptimisticChange(queryClient, context.previous)
    },
    onSuccess: (updated) => applyPhoneNumberUpdate(queryClient, updated),
  })
}
