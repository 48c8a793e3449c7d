import { createServer } from 'node:net'
import { randomUUID } from 'node:crypto'
import { phoneNumberSchema, type PhoneNumber } from '@dialtone/shared/phone-number'
import { signVapiWebhook } from '../../src/vapi/verify-vapi-webhook.ts'

// What a browser and Vapi do to a running server, over real HTTP: used by the cluster test and the benchmarks.

/** A port nobody listens on right now (the server processes cannot report a PORT=0 choice back). */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/** Signs up a new user (and organisation) through one server; returns the session cookie a browser would keep. */
export async function signUpThrough(baseUrl: string, name = 'Owner') {
  const email = `${name.toLowerCase().replace(/\W/g, '')}-${randomUUID()}@example.com`
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ name, email, password: 'correct horse battery' }),
  })
  if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`)
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0] ?? '')
    .filter((pair) => pair.length > 0)
    .join('; ')
  if (cookie.length === 0) throw new Error('sign-up set no cookie')
  return { email, cookie }
}

/** POST /api/phone-numbers as the signed-in browser would (same-origin header and all). */
export async function createPhoneNumberThrough(
  baseUrl: string,
  cookie: string,
  request: { areaCode: string; name?: string },
): Promise<PhoneNumber> {
  const response = await fetch(`${baseUrl}/api/phone-numbers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl, cookie },
    body: JSON.stringify(request),
  })
  const body: unknown = await response.json()
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${JSON.stringify(body)}`)
  return phoneNumberSchema.parse(body)
}

/** The raw body and signed headers of the sandbox's "this number was assigned" webhook. */
export function signedAssignmentWebhook(input: {
  secret: string
  vapiPhoneNumberId: string
  number: string
  messageId?: string
  nowMs?: number
}) {
  const nowMs = input.nowMs ?? Date.now()
  const rawBody = JSON.stringify({
    message: {
      type: 'phone-number-status-update',
      timestamp: nowMs,
      phoneNumber: { id: input.vapiPhoneNumberId, provider: 'vapi', status: 'active', number: input.number },
    },
  })
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-message-id': input.messageId ?? randomUUID(),
    ...signVapiWebhook({ mode: 'hmac', secret: input.secret, rawBody, timestampMs: nowMs }),
  }
  return { rawBody, headers }
}
