import { useMutation } from '@tanstack/react-query'
import { toast } from '../../lib/toast.tsx'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { formatPhoneNumber } from './format-phone-number.ts'

/**
 * Sandbox mode: rings a live number through the sandbox, which sends the call's messages as Vapi would, so the card
 * turns ringing, then on a call, then back by itself. Busy while the line is.
 */
export function TestCallButton({ phoneNumber, displayName }: { phoneNumber: PhoneNumber; displayName: string }) {
  const call = useMutation({
    // Loaded on the first click: the call-events schemas stay out of the numbers page's bundle.
    mutationFn: async () => (await import('../call-events/call-events-api.ts')).placeTestCall(phoneNumber.id),
    onSuccess: () =>
      toast.info(`Calling ${phoneNumber.number ? formatPhoneNumber(phoneNumber.number) : displayName}…`, {
        description: 'A sandbox call: it rings, is answered and ends by itself.',
      }),
    onError: (error) => toast.error(`No test call: ${error.message}`),
  })
  const isBusy = phoneNumber.activity.state !== 'idle'
  return (
    <button
      type="button"
      className="button button-small"
      onClick={() => call.mutate()}
      disabled={call.isPending || isBusy}
      aria-label={`Place a test call to ${displayName}`}
      title={isBusy ? 'The line is busy.' : undefined}
    >
      {call.isPending && <span className="spinner" aria-hidden="true" />}
      Place a test call
    </button>
  )
}
