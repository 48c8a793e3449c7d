import { useState } from 'react'
import { turnNotificationsOff, turnNotificationsOn, useNotificationState } from './browser-notifications.ts'

export function NotifyButton() {
  const state = useNotificationState()
  const [isAsking, setIsAsking] = useState(false)

  if (state === 'unsupported') return null
  if (state === 'blocked') {
    return (
      <button
        type="button"
        className="button button-small"
        disabled
        title="Notifications are blocked for this site. Allow them in the browser’s site settings."
      >
        Notifications blocked
      </button>
    )
  }

  const isOn = state === 'on'
  async function handleClick() {
    if (isOn) {
      turnNotificationsOff()
      return
    }
    setIsAsking(true)
    try {
      await turnNotificationsOn()
    } finally {
      setIsAsking(false)
    }
  }

  return (
    <button
      type="button"
      className="button button-small"
      aria-label={isOn ? 'Notifications on' : 'Notify me when numbers go live'}
      aria-pressed={isOn}
      disabled={isAsking}
      onClick={handleClick}
      title={
        isOn ? 'You get a browser notification when a number goes live while this tab is in the background.' : undefined
      }
    >
      {isOn ? (
        'Notifications on'
      ) : (
        // One flex item: the button's gap must not split the sentence.
        <span>
          Notify me<span className="notify-long"> when numbers go live</span>
        </span>
      )}
    </button>
  )
}
