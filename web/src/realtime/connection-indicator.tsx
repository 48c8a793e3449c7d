import { useConnectionStatus, type ConnectionStatus } from './connection-status.ts'

const labels: Record<ConnectionStatus, { text: string; description: string }> = {
  // Named for the connection, not a number: "Live" alone read like a number's status.
  live: { text: 'Live updates on', description: 'Connected: cards update by themselves.' },
  connecting: { text: 'Connecting…', description: 'Connecting to dialtone for live updates.' },
  reconnecting: {
    text: 'Reconnecting…',
    description: 'The live connection dropped; dialtone is reconnecting and will catch up on what changed.',
  },
  offline: { text: 'Offline', description: 'This device is offline; the list catches up when it is back online.' },
}

export function ConnectionIndicator() {
  const status = useConnectionStatus()
  const label = labels[status]
  return (
    <p
      className={`connection-indicator connection-${status}`}
      role="status"
      aria-live="polite"
      data-testid="connection-indicator"
      data-state={status}
    >
      <span className="connection-dot" aria-hidden="true" />
      <span className="visually-hidden">Connection: </span>
      <span>{label.text}</span>
      <span className="visually-hidden"> — {label.description}</span>
    </p>
  )
}
