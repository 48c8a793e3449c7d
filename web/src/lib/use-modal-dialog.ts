import { useEffect, useRef, type SyntheticEvent } from 'react'

/**
 * A native modal <dialog> driven by state: the browser traps focus and Escape cancels. `onOpen` runs each time
 * it opens (to clear the last attempt's error); while `isBusy` Escape is ignored, so an outcome is never hidden.
 */
export function useModalDialog({
  isOpen,
  isBusy,
  onOpen,
  onClose,
}: {
  isOpen: boolean
  isBusy: boolean
  onOpen: () => void
  onClose: () => void
}) {
  const dialogRef = useRef<HTMLDialogElement>(null)

  useEffect(() => {
    const dialog = dialogRef.current
    if (!dialog) return
    if (isOpen && !dialog.open) {
      onOpen()
      dialog.showModal()
    } else if (!isOpen && dialog.open) {
      dialog.close()
    }
  }, [isOpen, onOpen])

  return {
    ref: dialogRef,
    onCancel: (event: SyntheticEvent<HTMLDialogElement>) => {
      if (isBusy) event.preventDefault()
      else onClose()
    },
    onClose: () => {
      if (isOpen) onClose()
    },
  }
}
