import { z } from 'zod'

// Sandbox mode only: a fresh carrier account for one organisation, as connections/create-sandbox-account.ts does
// for Vapi. The answer carries the account's credentials once; store them sealed (credential-box) like real ones.

export const twilioSandboxAccountSchema = z.looseObject({
  accountSid: z.string().min(1),
  authToken: z.string().min(1),
  apiKeySid: z.string().min(1),
  apiKeySecret: z.string().min(1),
  name: z.string(),
})
export type TwilioSandboxAccount = z.infer<typeof twilioSandboxAccountSchema>

export const telnyxSandboxAccountSchema = z.looseObject({
  accountId: z.string().min(1),
  apiKey: z.string().min(1),
  /** The key its webhooks are signed with (base64 of 32 bytes), as Telnyx's portal shows it. */
  publicKey: z.string().min(1),
  name: z.string(),
})
export type TelnyxSandboxAccount = z.infer<typeof telnyxSandboxAccountSchema>

/** The sandbox's own origin from a base URL given to a client (Telnyx's ends in /v2). */
export function carrierSandboxOrigin(baseUrl: string) {
  return baseUrl.replace(/\/+$/, '').replace(/\/v2$/, '')
}

async function postAccount(baseUrl: string, body: Record<string, unknown>, fetchImplementation: typeof fetch) {
  const url = `${carrierSandboxOrigin(baseUrl)}/_sandbox/accounts`
  const response = await fetchImplementation(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  })
  const text = await response.text()
  if (response.status !== 201) {
    throw new Error(`the carrier sandbox refused a new account: HTTP ${response.status} ${text.slice(0, 200)}`)
  }
  return JSON.parse(text) as unknown
}

/** `POST /_sandbox/accounts { name }` on the Twilio sandbox: an Account SID, its auth token and one API key. */
export async function createTwilioSandboxAccount(
  baseUrl: string,
  name: string,
  fetchImplementation: typeof fetch = fetch,
): Promise<TwilioSandboxAccount> {
  return twilioSandboxAccountSchema.parse(await postAccount(baseUrl, { name }, fetchImplementation))
}

/**
 * `POST /_sandbox/accounts { name, webhookUrl? }` on the Telnyx sandbox: an API key; number-order webhooks go to
 * webhookUrl (or the sandbox's default URL) signed with the sandbox's key pair.
 */
export async function createTelnyxSandboxAccount(
  baseUrl: string,
  name: string,
  options: { webhookUrl?: string } = {},
  fetchImplementation: typeof fetch = fetch,
): Promise<TelnyxSandboxAccount> {
  return telnyxSandboxAccountSchema.parse(await postAccount(baseUrl, { name, ...options }, fetchImplementation))
}
