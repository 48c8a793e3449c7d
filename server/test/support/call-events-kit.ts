import { callEventSettingsSchema } from '@dialtone/shared/call-events'
import { phoneNumberSchema, type PhoneNumber } from '@dialtone/shared/phone-number'
import { z } from 'zod'
import type { CallEventDeps } from '../../src/call-events/call-event-deps.ts'
import {
  defaultForwardRoundOptions,
  forwardDueCallEvents,
  type ForwardRoundOptions,
} from '../../src/call-events/forward-due-call-events.ts'
import { createNumber, eventually, sandboxHoldings } from './provisioning-test-kit.ts'
import type { TestApp } from './test-app.ts'

/** Buys a number whose sandbox number arrives within a second (area code 537) and waits until it is live. */
export async function liveNumber(harness: TestApp, cookie: string, name?: string): Promise<PhoneNumber> {
  const created = await createNumber(harness, cookie, '537', name)
  const shown = await eventually(
    async () =>
      phoneNumberSchema.parse(await (await harness.request(`/api/phone-numbers/${created.id}`, { cookie })).json()),
    (number) => number.status === 'active',
    10_000,
  )
  if (shown.status !== 'active') throw new Error(`number ${created.id} did not go live`)
  return shown
}

export const sandboxCallSchema = z.object({
  id: z.string(),
  phoneNumberId: z.string(),
  assistantId: z.string().nullable(),
  status: z.string(),
  endedReason: z.string().nullable(),
  messages: z.array(
    z.object({
      type: z.string(),
      status: z.string().nullable(),
      url: z.string(),
      httpStatus: z.number().nullable(),
      error: z.string().nullable(),
    }),
  ),
})
export type SandboxCallRecord = z.infer<typeof sandboxCallSchema>

export async function sandboxCalls(harness: TestApp): Promise<SandboxCallRecord[]> {
  const response = await fetch(`${harness.sandbox.url}/_sandbox/calls`)
  return z.array(sandboxCallSchema).parse(await response.json())
}

/** Waits until the sandbox's call has sent its last message (or timeoutMs passes) and returns it. */
export async function finishedCall(harness: TestApp, callId: string, timeoutMs = 10_000): Promise<SandboxCallRecord> {
  const call = await eventually(
    async () => (await sandboxCalls(harness)).find((entry) => entry.id === callId),
    (entry) =>
      entry?.status === 'ended' &&
      (entry.messages.length === 0 || entry.messages.at(-1)?.type === 'end-of-call-report') &&
      entry.messages.every((message) => message.httpStatus !== null || message.error !== null),
    timeoutMs,
  )
  if (!call) throw new Error(`sandbox call ${callId} not found`)
  return call
}

export async function placeTestCall(
  harness: TestApp,
  cookie: string,
  phoneNumberId: string,
  body: Record<string, unknown> = {},
) {
  const response = await harness.request(`/api/phone-numbers/${phoneNumberId}/test-call`, {
    method: 'POST',
    cookie,
    json: body,
  })
  return response
}

export async function putCallEvents(harness: TestApp, cookie: string, body: Record<string, unknown>) {
  const response = await harness.request('/api/call-events', { method: 'PUT', cookie, json: body })
  const text = await response.clone().text()
  return { response, text, settings: response.ok ? callEventSettingsSchema.parse(await response.json()) : null }
}

const sandboxServerSchema = z.looseObject({ server: z.looseObject({ url: z.string().optional() }).optional() })

/** The number's server.url as the sandbox (Vapi) holds it. */
export async function serverUrlAtSandbox(harness: TestApp, vapiPhoneNumberId: string): Promise<string | null> {
  const holdings = await sandboxHoldings(harness)
  const holding = holdings.find((entry) => entry.id === vapiPhoneNumberId)
  return sandboxServerSchema.parse(holding ?? {}).server?.url ?? null
}

/** Forwarding rounds, as the worker runs them, until `isDone` (or 300 rounds). */
export async function forwardUntil(
  callEvents: CallEventDeps,
  options: ForwardRoundOptions,
  isDone: () => boolean | Promise<boolean>,
): Promise<void> {
  for (let round = 0; round < 300 && !(await isDone()); round++) {
    await forwardDueCallEvents(callEvents, options)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** The schedule compressed: retries after milliseconds instead of minutes. */
export const quickForwardOptions: ForwardRoundOptions = {
  ...defaultForwardRoundOptions,
  retryScheduleMs: [0, 10, 20, 40],
  timeoutMs: 2_000,
}

/** Vapi's envelope for one call message about a number. */
export function callMessage(
  vapiPhoneNumberId: string,
  callId: string,
  type: string,
  fields: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    message: {
      type,
      timestamp: Date.now(),
      phoneNumber: { id: vapiPhoneNumberId },
      call: { id: callId, phoneNumberId: vapiPhoneNumberId },
      ...fields,
    },
  })
}
