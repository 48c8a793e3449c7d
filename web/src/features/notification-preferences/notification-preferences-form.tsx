import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { NotificationPreferences, NotificationPreferencesResponse } from '@dialtone/shared/notifications'
import { toast } from '../../lib/toast.tsx'
import { fetchNotificationPreferences, updateNotificationPreferences } from './notification-preferences-api.ts'
import { notificationPreferencesQueryKeys } from './notification-preferences-query-keys.ts'

const choices: { key: keyof NotificationPreferences; label: string; hint: string }[] = [
  { key: 'numberLive', label: 'A number goes live', hint: 'It can take calls.' },
  { key: 'numberFailed', label: 'A number fails', hint: 'With the reason and what to do.' },
  { key: 'numberStuck', label: 'A number is taking much longer than usual', hint: 'Still pending after 5 minutes.' },
  { key: 'numberReleased', label: 'A number is released', hint: 'It stops taking calls and being billed.' },
]

const deliveryNotes = {
  smtp: null,
  mailbox: 'Sandbox: mail is not sent anywhere; it is kept in this dialtone’s mailbox.',
  off: 'This server has no mail server configured (SMTP_URL), so no mail goes out yet.',
} as const

/** Which of the organisation's events the signed-in user gets by email; each box saves on its own. */
export function NotificationPreferencesForm({ isPlatformAdmin }: { isPlatformAdmin: boolean }) {
  const queryClient = useQueryClient()
  const query = useQuery({ queryKey: notificationPreferencesQueryKeys.mine(), queryFn: fetchNotificationPreferences })
  const key = notificationPreferencesQueryKeys.mine()
  const mutation = useMutation({
    mutationFn: updateNotificationPreferences,
    // The box shows the choice at once; a refusal puts it back.
    onMutate: async (update) => {
      await queryClient.cancelQueries({ queryKey: key })
      const previous = queryClient.getQueryData<NotificationPreferencesResponse>(key)
      if (previous) queryClient.setQueryData(key, { ...previous, ...update })
      return { previous }
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(key, saved)
      toast.success('Email preferences saved')
    },
    onError: (error, _update, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous)
      toast.error(error.message)
    },
  })

  if (query.isPending) return <p aria-busy="true">Loading your email preferences…</p>
  if (query.isError) {
    return (
      <div role="alert">
        <p>{query.error.message}</p>
        <button type="button" className="button button-small" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    )
  }
  const preferences = query.data
  const note = deliveryNotes[preferences.mailDelivery]
  const visible = isPlatformAdmin
    ? [...choices, { key: 'adminAlerts' as const, label: 'Admin alerts open or close', hint: 'Platform admins only.' }]
    : choices

  return (
    <form className="preferences-form" aria-label="Email notifications" onSubmit={(event) => event.preventDefault()}>
      <p className="muted">
        Mail goes to <strong>{preferences.email}</strong>. Every mail has a one-click unsubscribe link.
      </p>
      {note && (
        <p className="preferences-note" role="note">
          {note}
        </p>
      )}
      <fieldset>
        <legend>Email me when</legend>
        {visible.map((choice) => (
          <label key={choice.key} className="preference">
            <input
              type="checkbox"
              checked={preferences[choice.key]}
              onChange={(event) => mutation.mutate({ [choice.key]: event.target.checked })}
            />
            <span>
              {choice.label}
              <span className="field-hint"> {choice.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
    </form>
  )
}
