import type { CallEventSettingRow } from '../db/schema.ts'
import { postWebhook } from '../outbound-webhooks/post-webhook.ts'
import { signVapiWebhook } from '../vapi/verify-vapi-webhook.ts'
import type { CallEventDeps } from './call-event-deps.ts'

/** Vapi's own limit on what it posts; answers (an assistant in full) stay well under it. */
export const maxAnswerBytes = 256 * 1024

export type ForwardSettings = Pick<
  CallEventSettingRow,
  'forward_url' | 'forward_auth_type' | 'forward_secret_ciphertext'
>

export type ForwardResult =
  | { isSuccess: true; status: number; body: string; latencyMs: number }
  | { isSuccess: false; status: number | null; error: string; latencyMs: number }

/** The headers Vapi would have sent the organisation's server with its credential: bearer, X-Vapi-Secret or HMAC. */
export function forwardHeaders(
  deps: Pick<CallEventDeps, 'box'>,
  settings: ForwardSettings,
  rawBody: string,
  now: Date,
): Record<string, string> {
  if (!settings.forward_auth_type || !settings.forward_secret_ciphertext) return {}
  return signVapiWebhook({
    mode: settings.forward_auth_type,
    secret: deps.box.open(settings.forward_secret_ciphertext),
    rawBody,
    timestampMs: now.getTime(),
  })
}

/**
 * Posts one message, exactly as Vapi sent it, to the organisation's server and reads its answer (at most
 * maxAnswerBytes, within timeoutMs). Success is a 2xx; an answer Vapi waits on must also be JSON.
 */
export async function forwardCallMessage(
  deps: Pick<CallEventDeps, 'box' | 'addressPolicy' | 'clock'>,
  settings: ForwardSettings,
  rawBody: string,
  options: { timeoutMs: number; expectsJson: boolean },
): Promise<ForwardResult> {
  if (!settings.forward_url) return { isSuccess: false, status: null, error: 'No forward URL.', latencyMs: 0 }
  const headers = forwardHeaders(deps, settings, rawBody, deps.clock.now())
  const result = await postWebhook(settings.forward_url, headers, rawBody, {
    ...deps.addressPolicy,
    timeoutMs: options.timeoutMs,
    maxResponseBytes: maxAnswerBytes + 1,
    excerptChars: maxAnswerBytes + 1,
  })
  const base = { status: result.status, latencyMs: result.latencyMs }
  if (!result.isSuccess || result.status === null) {
    return { ...base, isSuccess: false, error: result.excerpt.slice(0, 500) || `HTTP ${result.status}` }
  }
  if (Buffer.byteLength(result.excerpt) > maxAnswerBytes) {
    return { ...base, isSuccess: false, error: `The answer is larger than ${maxAnswerBytes} bytes.` }
  }
  if (options.expectsJson) {
    try {
      JSON.parse(result.excerpt)
    } catch {
      return { ...base, isSuccess: false, error: 'The answer is not JSON.' }
    }
  }
  return { isSuccess: true, status: result.status, body: result.excerpt, latencyMs: result.latencyMs }
}
