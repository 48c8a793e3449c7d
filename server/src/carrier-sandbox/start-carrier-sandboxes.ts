import { serveSandbox, type RunningCarrierSandbox } from './carrier-sandbox-kit.ts'
import { createTelnyxSandbox, type TelnyxSandboxOptions } from './telnyx-sandbox.ts'
import { createTwilioSandbox, type TwilioSandboxOptions } from './twilio-sandbox.ts'

// The carrier sandboxes on real ports, each on its own (0 picks a free one): Twilio's API at its origin
// (TWILIO_BASE_URL = url), Telnyx's under /v2 (TELNYX_BASE_URL = url + "/v2"). Control routes at /_sandbox on both.

export interface RunningTwilioSandbox extends RunningCarrierSandbox {
  /** What to give a Twilio client as baseUrl. */
  baseUrl: string
}

export interface RunningTelnyxSandbox extends RunningCarrierSandbox {
  /** What to give a Telnyx client as baseUrl (…/v2). */
  baseUrl: string
  /** The key the sandbox signs webhooks with (base64 of 32 bytes): TELNYX_PUBLIC_KEY. */
  publicKey: string
}

export async function startTwilioSandbox(
  options: TwilioSandboxOptions & { port: number; host?: string },
): Promise<RunningTwilioSandbox> {
  const { port, host, ...sandboxOptions } = options
  const sandbox = createTwilioSandbox(sandboxOptions)
  const running = await serveSandbox(sandbox.app.fetch, sandbox.close, port, host)
  return { ...running, baseUrl: running.url }
}

export async function startTelnyxSandbox(
  options: TelnyxSandboxOptions & { port: number; host?: string },
): Promise<RunningTelnyxSandbox> {
  const { port, host, ...sandboxOptions } = options
  const sandbox = createTelnyxSandbox(sandboxOptions)
  const running = await serveSandbox(sandbox.app.fetch, sandbox.close, port, host)
  return { ...running, baseUrl: `${running.url}/v2`, publicKey: sandbox.publicKey() }
}
