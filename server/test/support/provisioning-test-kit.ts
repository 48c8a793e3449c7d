// Shared by the provisioning and webhook tests (never imported by the server): real HTTP to the app and to the
// Vapi sandbox, plus small readers of the database. Nothing here fakes a part; it only saves repetition.
import { z } from 'zod'
import type { PhoneNumber } from '@dialtone/shared/phone-number'
import { phoneNumberSchema } from '@dialtone/shared/phone-number'
import type { Clock } from '../../src/lib/clock.ts'
import type { TestApp } from './test-app.ts'
import { testWebhookSecret } from './test-app.ts'
import { signVapiWebhook, type WebhookAuthMode } from '../../src/vapi/verify-vapi-webhook.ts'

/** The real time moved by an offset the test controls: the sandbox keeps real time, dialtone sees the offset. */
export function createOffsetClock(): Clock & { offsetMs: number; advance(ms: number): void } {
  const clock = {
    offsetMs: 0,
    now: () => new Date(Date.now() + clock.offsetMs),
    advance: (ms: number) => {
      clock.offsetMs += ms
    },
  }
  return clock
}

const sandboxPhoneNumberSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  number: z.string().optional(),
  numberDesiredAreaCode: z.string().optional(),
  releasedAt: z.string().nullable(),
})
export type SandboxPhoneNumber = z.infer<typeof sandboxPhoneNumberSchema>

export async function sandboxHoldings(harness: TestApp): Promise<SandboxPhoneNumber[]> {
  const response = await fetch(`${harness.sandbox.url}/_sandbox/phone-numbers`)
  return z.array(sandboxPhoneNumberSchema).parse(await response.json())
}

const requestLogSchema = z.object({
  total: z.number(),
  counts: z.record(z.string(), z.number()),
  requests: z.array(
    z.object({
      method: z.string(),
      path: z.string(),
      route: z.string(),
      status: z.number().nullable(),
      at: z.string(),
    }),
  ),
})
export type SandboxRequest = z.infer<typeof requestLogSchema>['requests'][number]

export async function sandboxRequests(harness: TestApp): Promise<SandboxRequest[]> {
  const response = await fetch(`${harness.sandbox.url}/_sandbox/requests`)
  return requestLogSchema.parse(await response.json()).requests
}

/** The GETs of one number the sandbox answered (the poller's and "check now"'s questions). */
export async function sandboxGetsOf(harness: TestApp, vapiPhoneNumberId: string): Promise<SandboxRequest[]> {
  return (await sandboxRequests(harness)).filter(
    (entry) => entry.method === 'GET' && entry.path === `/phone-number/${vapiPhoneNumberId}`,
  )
}

const webhookLogSchema = z.array(
  z.looseObject({ messageId: z.string(), phoneNumberId: z.string(), outcome: z.string(), copy: z.string() }),
)

export async function sandboxWebhookLog(harness: TestApp) {
  const response = await fetch(`${harness.sandbox.url}/_sandbox/webhooks`)
  return webhookLogSchema.parse(await response.json())
}

export async function setSandboxFaults(harness: TestApp, faults: Record<string, number>): Promise<void> {
  const response = await fetch(`${harness.sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  })
  if (response.status !== 200) throw new Error(`sandbox refused faults: ${await response.text()}`)
}

export async function clearSandboxFaults(harness: TestApp): Promise<void> {
  await fetch(`${harness.sandbox.url}/_sandbox/faults`, { method: 'DELETE' })
}

/** Deletes a number at the sandbox directly, as if someone removed it in Vapi's dashboard. */
export async function deleteAtSandbox(harness: TestApp, vapiPhoneNumberId: string): Promise<void> {
  const response = await fetch(`${harness.sandbox.url}/phone-number/${vapiPhoneNumberId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${await harness.vapiKeyOfNumber(vapiPhoneNumberId)}` },
  })
  if (response.status !== 200) throw new Error(`sandbox delete failed: ${response.status}`)
}

/** Buys a number through dialtone's own API, as an owner would. */
export async function createNumber(
  harness: TestApp,
  cookie: string,
  areaCode: string,
  name?: string,
): Promise<PhoneNumber> {
  const response = await harness.request('/api/phone-numbers', {
    method: 'POST',
    cookie,
    json: { areaCode, ...(name ? { name } : {}) },
  })
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${await response.text()}`)
  return phoneNumberSchema.parse(await response.json())
}

/** Makes every pending number due now, as if its next check time had arrived. */
export async function makePendingDue(harness: TestApp, at: Date): Promise<void> {
  await harness.db
    .updateTable('phone_number')
    .set({ next_check_at: new Date(at.getTime() - 1) })
    .where('status', '=', 'pending')
    .execute()
}

export async function phoneNumberRow(harness: TestApp, id: string) {
  return harness.db.selectFrom('phone_number').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

/** The status history of a number, oldest first (the row written at creation included). */
export async function historyOf(harness: TestApp, id: string) {
  return harness.db
    .selectFrom('phone_number_status_change')
    .select(['from_status', 'to_status', 'source', 'reason'])
    .where('phone_number_id', '=', id)
    .orderBy('id')
    .execute()
}

export async function countWebhookDeliveries(harness: TestApp): Promise<number> {
  const row = await harness.db
    .selectFrom('webhook_delivery')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export function eventsFor(harness: TestApp, phoneNumberId: string) {
  return harness.events.filter((event) => event.phoneNumber.id === phoneNumberId)
}

/** Vapi's server-message envelope about one number, as the sandbox or Vapi would send it. */
export function statusMessage(
  phoneNumber: { id: string; status: string; number?: string },
  type = 'phone-number-status-update',
) {
  return JSON.stringify({ message: { type, timestamp: Date.now(), phoneNumber } })
}

/** Posts a webhook to the running app over real HTTP, signed for the given mode unless headers are given. */
export async function postWebhook(
  harness: TestApp,
  rawBody: string,
  options: {
    mode?: WebhookAuthMode
    secret?: string
    timestampMs?: number
    messageId?: string
    headers?: Record<string, string>
    /** The query string of the URL dialtone gave Vapi, e.g. "attempt=…". */
    query?: string
  } = {},
): Promise<Response> {
  const credentials =
    options.headers ??
    signVapiWebhook({
      mode: options.mode ?? 'hmac',
      secret: options.secret ?? testWebhookSecret,
      rawBody,
      timestampMs: options.timestampMs ?? Date.now(),
    })
  return fetch(`${harness.baseUrl}/webhooks/vapi${options.query ? `?${options.query}` : ''}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.messageId ? { 'x-message-id': options.messageId } : {}),
      ...credentials,
    },
    body: rawBody,
  })
}

/** Waits for a condition that arrives asynchronously (a webhook, a background check), polling briefly. */
export async function eventually<T>(read: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (isDone(value)) return value
    if (Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
