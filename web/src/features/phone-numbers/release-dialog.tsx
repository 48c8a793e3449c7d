import { useId } from 'react'
import { toast } from '../../lib/toast.tsx'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { ConfirmActions } from '../../lib/confirm-actions.tsx'
import { useModalDialog } from '../../lib/use-modal-dialog.ts'
import { describeCreateError } from './describe-create-error.ts'
import { formatPhoneNumber, formatPlaceholderNumber } from './format-phone-number.ts'
import { useReleasePhoneNumber } from './phone-number-mutations.ts'

/**
 * Asks before releasing, in a native modal <dialog>: the browser traps focus, Escape cancels, and focus goes
 * back to the Release button that opened it. After a release that button is gone, so `onReleased` says where
 * focus goes instead.
 */
export function ReleaseDialog({
  phoneNumber,
  onClose,
  onReleased,
}: {
  phoneNumber: PhoneNumber | null
  onClose: () => void
  /** Told after a release succeeded and the dialog closed; where focus goes next is the caller's call. */
  onReleased: (phoneNumber: PhoneNumber) => void
}) {
  const ids = useId()
  const release = useReleasePhoneNumber()
  const dialogProps = useModalDialog({
    isOpen: phoneNumber !== null,
    isBusy: release.isPending,
    onOpen: release.reset,
    onClose,
  })

  const shownNumber = phoneNumber
    ? phoneNumber.number !== null
      ? formatPhoneNumber(phoneNumber.number)
      : formatPlaceholderNumber(phoneNumber.areaCode)
    : ''
  const isPending = phoneNumber?.status === 'pending'

  function confirm() {
    if (!phoneNumber) return
    release.mutate(phoneNumber.id, {
      onSuccess: () => {
        toast.success(`Released ${phoneNumber.name ?? shownNumber}`)
        onClose()
        onReleased(phoneNumber)
      },
    })
  }

  const errorExplanation = release.isError ? describeCreateError(release.error) : null

  return (
    <dialog
      {...dialogProps}
      className="dialog"
      aria-labelledby={`${ids}-title`}
      aria-describedby={`${ids}-body`}
      data-testid="release-dialog"
    >
      <h2 id={`${ids}-title`}>Release {phoneNumber?.name ?? shownNumber}?</h2>
      <p id={`${ids}-body`}>
        {isPending
          ? 'dialtone stops waiting for this number and releases it at Vapi.'
          : `${shownNumber} stops answering calls and goes back to Vapi. You may not get the same number again.`}
      </p>
      <ConfirmActions
        error={errorExplanation && `${errorExplanation.message} ${errorExplanation.nextStep}`.trim()}
        isPending={release.isPending}
        actionLabel="Release number"
        pendingLabel="Releasing…"
        onCancel={onClose}
        onConfirm={confirm}
      />
    </dialog>
  )
}
