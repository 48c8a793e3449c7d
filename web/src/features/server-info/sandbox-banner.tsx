import { useServerInfo } from './use-server-info.ts'

/** Always shown in sandbox mode, so nobody mistakes a simulated number for one they can call. */
export function SandboxBanner() {
  const { data } = useServerInfo()
  if (!data?.isSandbox) return null
  return (
    <div className="sandbox-banner" role="note" data-testid="sandbox-banner">
      <strong>Sandbox mode:</strong> numbers are simulated by dialtone’s built-in Vapi stand-in; no real number is
      bought.
    </div>
  )
}
