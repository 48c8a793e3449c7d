import { useEffect, useRef } from 'react'
import { toast } from '../../lib/toast.tsx'
import type { PhoneNumber, PhoneNumberStatus } from '@dialtone/shared/phone-number'
import { notifyInBackground } from '../notifications/browser-notifications.ts'
import { describeFailureReason } from './describe-create-error.ts'
import { findStatusTransitions, snapshotStatuses } from './find-status-transitions.ts'
import { formatPhoneNumber } from './format-phone-number.ts'

/**
 * A toast (and, in the background, a browser notification) when a number goes live or fails. It compares the
 * cache before and after, so it speaks for every way a change arrives: socket event, refetch after a
 * reconnect, "Check now".
 */
export function useStatusTransitionNotices(phoneNumbers: readonly PhoneNumber[], isLoaded: boolean): void {
  const previous = useRef<Map<string, PhoneNumberStatus> | null>(null)

  useEffect(() => {
    if (!isLoaded) return
    const transitions = findStatusTransitions(previous.current, phoneNumbers)
    previous.current = snapshotStatuses(phoneNumbers)
    for (const { phoneNumber, to } of transitions) {
      const label = phoneNumber.name ? `“${phoneNumber.name}”` : `Your ${phoneNumber.areaCode} number`
      if (to === 'active') {
        const number = phoneNumber.number ? formatPhoneNumber(phoneNumber.number) : 'a new number'
        const title = `${label} is live`
        toast.success(title, { description: number, id: `live-${phoneNumber.id}` })
        notifyInBackground(title, { body: number, tag: `live-${phoneNumber.id}` })
      } else {
        const reason = describeFailureReason(phoneNumber.failureReason)
        const title = `${label} failed`
        toast.error(title, { description: reason, id: `failed-${phoneNumber.id}` })
        notifyInBackground(title, { body: reason, tag: `failed-${phoneNumber.id}` })
      }
    }
  }, [phoneNumbers, isLoaded])
}
