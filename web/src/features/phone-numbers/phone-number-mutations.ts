import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { CreatePhoneNumberRequest } from '@dialtone/shared/phone-number'
import { createIdempotencyKey } from '../../lib/create-idempotency-key.ts'
import {
  createPhoneNumber,
  refreshAllPendingPhoneNumbers,
  refreshPhoneNumber,
  releasePhoneNumber,
} from './phone-numbers-api.ts'
import { applyPhoneNumberUpdate } from './phone-number-cache.ts'
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
