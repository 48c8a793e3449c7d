/** A confirmation dialog's error line and its two buttons: Cancel first (where focus lands), then the action. */
export function ConfirmActions({
  error,
  isPending,
  actionLabel,
  pendingLabel,
  onCancel,
  onConfirm,
}: {
  error: string | null
  isPending: boolean
  actionLabel: string
  pendingLabel: string
  onCancel: () => void
  onConfirm: () => void
}) {
  return (
    <>
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel} disabled={isPending}>
          Cancel
        </button>
        <button type="button" className="button button-danger" onClick={onConfirm} disabled={isPending}>
          {isPending && <span className="spinner" aria-hidden="true" />}
          {isPending ? pendingLabel : actionLabel}
        </button>
      </div>
    </>
  )
}
