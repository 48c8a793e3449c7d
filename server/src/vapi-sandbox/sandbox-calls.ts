import { randomUUID } from 'node:crypto'
import type { Env, Hono } from 'hono'
import { z } from 'zod'
import type { SandboxAccount } from './sandbox-accounts.ts'
import type { SandboxPhoneNumber } from './sandbox-validation.ts'
import { toValidationMessages } from './sandbox-validation.ts'
import { buildWebhookHeaders, type SandboxWebhookAuth } from './sandbox-webhooks.ts'

// Calls on sandbox numbers (issue 17): `POST /_sandbox/calls` rings a live number and sends the messages Vapi
// sends for an inbound call, in Vapi's shapes (ServerMessage* in Vapi's spec) and order, to the server Vapi would
// pick: the assistant's, else the number's, else the organisation's. A number without an assistant first asks
// that server with an assistant-request, and the call goes on with the assistant it names (or ends as Vapi's do).

export const placeCallBodySchema = z.strictObject({
  phoneNumberId: z.string().min(1).max(200),
  durationMs: z.number().int().min(0).max(600_000).optional(),
  endedReason: z.string().min(1).max(200).optional(),
})

export const sandboxAccountServerBodySchema = z.strictObject({
  server: z.strictObject({ url: z.url(), headers: z.record(z.string(), z.string()).optional() }).nullable(),
})

/** A call lasts this long unless the request says otherwise: long enough to watch the card on a call. */
export const defaultCallDurationMs = 8_000

interface SentMessage {
  type: string
  status: string | null
  url: string
  httpStatus: number | null
  error: string | null
  at: string
}

export interface SandboxCall {
  id: string
  phoneNumberId: string
  accountId: string
  assistantId: string | null
  status: 'queued' | 'ringing' | 'in-progress' | 'ended'
  endedReason: string | null
  startedAt: string
  endedAt: string | null
  messages: SentMessage[]
}

export interface SandboxCallContext {
  /** A number the sandbox holds (not released), with its account. */
  findNumber(vapiPhoneNumberId: string): { phoneNumber: SandboxPhoneNumber; account: SandboxAccount } | null
  findAccount(accountId: string): SandboxAccount | null
  /** Called after an account changed (state file). */
  persist(): void
  webhookSecret: string
  webhookAuth: SandboxWebhookAuth
  webhookTimeoutMs: number
  /** Resolves after ms, or never once the sandbox closes. */
  pause(ms: number): Promise<void>
  closing: AbortSignal
  now(): Date
}

type Server = { url: string; headers?: Record<string, unknown> | undefined }
type MaybeServer = { url?: string | undefined; headers?: Record<string, unknown> | undefined } | null | undefined

function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  )
}

/** Vapi's precedence: the assistant's server, else the number's, else the organisation's; null: nobody. */
export function callServerOf(input: {
  assistantServer: MaybeServer
  numberServer: MaybeServer
  accountServer: MaybeServer
}): Server | null {
  for (const server of [input.assistantServer, input.numberServer, input.accountServer]) {
    if (server?.url) return { url: server.url, headers: server.headers }
  }
  return null
}

const assistantAnswerSchema = z.looseObject({
  assistantId: z.string().optional(),
  assistant: z.looseObject({}).optional(),
  squadId: z.string().optional(),
  squad: z.looseObject({}).optional(),
  workflowId: z.string().optional(),
  destination: z.looseObject({}).optional(),
  error: z.string().optional(),
})

const lines = [
  { role: 'assistant', text: 'Thanks for calling! How can I help you today?' },
  { role: 'user', text: 'Hi, I would like to check your opening hours.' },
  { role: 'assistant', text: 'We are open from nine to five, Monday to Friday.' },
  { role: 'user', text: 'Great, thank you. Bye!' },
] as const

export function createSandboxCalls(context: SandboxCallContext) {
  const calls: SandboxCall[] = []
  const maxCalls = 1_000

  async function send(call: SandboxCall, server: Server, message: Record<string, unknown>) {
    const rawBody = JSON.stringify({ message })
    const headers = buildWebhookHeaders({
      auth: context.webhookAuth,
      secret: context.webhookSecret,
      rawBody,
      timestampMs: context.now().getTime(),
      messageId: randomUUID(),
      customHeaders: stringHeaders(server.headers),
    })
    const entry: SentMessage = {
      type: String(message.type),
      status: typeof message.status === 'string' ? message.status : null,
      url: server.url,
      httpStatus: null,
      error: null,
      at: context.now().toISOString(),
    }
    call.messages.push(entry)
    try {
      const response = await fetch(server.url, {
        method: 'POST',
        headers,
        body: rawBody,
        signal: AbortSignal.any([AbortSignal.timeout(context.webhookTimeoutMs), context.closing]),
      })
      const text = await response.text()
      entry.httpStatus = response.status
      return { status: response.status, text }
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error)
      return null
    }
  }

  async function run(
    call: SandboxCall,
    phoneNumber: SandboxPhoneNumber,
    account: SandboxAccount,
    options: { durationMs: number; endedReason: string },
  ) {
    let lastTimestamp = 0
    const timestamp = () => {
      lastTimestamp = Math.max(context.now().getTime(), lastTimestamp + 1)
      return lastTimestamp
    }
    const createdAt = call.startedAt
    const callObject = () => ({
      id: call.id,
      orgId: account.orgId,
      type: 'inboundPhoneCall',
      phoneNumberId: phoneNumber.id,
      ...(call.assistantId ? { assistantId: call.assistantId } : {}),
      status: call.status,
      createdAt,
      updatedAt: context.now().toISOString(),
      startedAt: createdAt,
      ...(call.endedAt ? { endedAt: call.endedAt, endedReason: call.endedReason } : {}),
      customer: { number: '+14155550100' },
      phoneCallProvider: 'vapi',
      phoneCallTransport: 'pstn',
    })
    const envelope = (type: string, fields: Record<string, unknown> = {}) => ({
      type,
      timestamp: timestamp(),
      phoneNumber,
      customer: { number: '+14155550100' },
      call: callObject(),
      ...fields,
    })
    const assistantOf = (id: string | null) => account.assistants.find((assistant) => assistant.id === id)
    const numberOrOrgServer = callServerOf({
      assistantServer: undefined,
      numberServer: phoneNumber.server,
      accountServer: account.server,
    })

    const end = async (server: Server | null, endedReason: string, transcript: string) => {
      call.status = 'ended'
      call.endedReason = endedReason
      call.endedAt = context.now().toISOString()
      if (!server) return
      await send(call, server, envelope('status-update', { status: 'ended', endedReason }))
      const durationSeconds = (Date.parse(call.endedAt) - Date.parse(call.startedAt)) / 1000
      await send(
        call,
        server,
        envelope('end-of-call-report', {
          endedReason,
          startedAt: call.startedAt,
          endedAt: call.endedAt,
          durationMs: Math.round(durationSeconds * 1000),
          durationSeconds,
          cost: Math.round(durationSeconds * 0.05 * 10_000) / 10_000 / 60,
          summary: transcript ? 'The caller asked for the opening hours.' : '',
          analysis: {},
          artifact: {
            transcript,
            messages: [],
            recordingUrl: `https://storage.vapi.example/recordings/${call.id}.wav`,
          },
        }),
      )
    }

    const isRouted = phoneNumber.assistantId || phoneNumber.squadId || phoneNumber.workflowId
    if (!isRouted) {
      if (!numberOrOrgServer) return end(null, 'call-start-error-neither-assistant-nor-server-set', '')
      const answer = await send(call, numberOrOrgServer, envelope('assistant-request'))
      const parsed = answer && answer.status < 300 ? assistantAnswerSchema.safeParse(parseJson(answer.text)) : null
      if (!parsed?.success) return end(numberOrOrgServer, 'assistant-request-failed', '')
      if (parsed.data.error) return end(numberOrOrgServer, 'assistant-request-returned-error', '')
      const named = parsed.data.assistantId ?? null
      if (!named && !parsed.data.assistant && !parsed.data.squadId && !parsed.data.squad && !parsed.data.workflowId) {
        return end(numberOrOrgServer, 'assistant-request-returned-no-assistant', '')
      }
      if (named && !assistantOf(named) && !account.isImplicit) {
        return end(numberOrOrgServer, 'assistant-request-returned-invalid-assistant', '')
      }
      call.assistantId = named
    } else {
      call.assistantId = phoneNumber.assistantId ?? null
    }

    const server = callServerOf({
      assistantServer: assistantOf(call.assistantId)?.server,
      numberServer: phoneNumber.server,
      accountServer: account.server,
    })
    if (!server) return end(null, options.endedReason, '')
    const ringMs = Math.min(1_000, options.durationMs / 6)
    await send(call, server, envelope('status-update', { status: 'queued' }))
    call.status = 'ringing'
    await send(call, server, envelope('status-update', { status: 'ringing' }))
    await context.pause(ringMs)
    call.status = 'in-progress'
    await send(call, server, envelope('status-update', { status: 'in-progress' }))
    const said: string[] = []
    const turnMs = Math.max(0, options.durationMs - ringMs) / lines.length
    for (const line of lines) {
      await send(call, server, envelope('speech-update', { status: 'started', role: line.role, turn: said.length }))
      await send(
        call,
        server,
        envelope('transcript', { role: line.role, transcriptType: 'final', transcript: line.text }),
      )
      await send(call, server, envelope('speech-update', { status: 'stopped', role: line.role, turn: said.length }))
      said.push(`${line.role === 'assistant' ? 'AI' : 'User'}: ${line.text}`)
      await send(
        call,
        server,
        envelope('conversation-update', {
          messages: said.map((text, index) => ({ role: index % 2 === 0 ? 'bot' : 'user', message: text })),
          messagesOpenAIFormatted: said.map((text, index) => ({
            role: index % 2 === 0 ? 'assistant' : 'user',
            content: text,
          })),
        }),
      )
      await context.pause(turnMs)
    }
    return end(server, options.endedReason, said.join('\n'))
  }

  return {
    list: () => calls,
    /** Starts a call and answers at once; the call runs on its own. */
    place(body: z.infer<typeof placeCallBodySchema>): { status: number; body: unknown } {
      const found = context.findNumber(body.phoneNumberId)
      if (!found)
        return { status: 404, body: { message: 'Phone number not found', error: 'Not Found', statusCode: 404 } }
      const { phoneNumber, account } = found
      if (phoneNumber.status !== 'active' || !phoneNumber.number) {
        return {
          status: 409,
          body: { message: 'Only a number that has its number can take calls.', error: 'Conflict', statusCode: 409 },
        }
      }
      const call: SandboxCall = {
        id: randomUUID(),
        phoneNumberId: phoneNumber.id,
        accountId: account.id,
        assistantId: null,
        status: 'queued',
        endedReason: null,
        startedAt: context.now().toISOString(),
        endedAt: null,
        messages: [],
      }
      calls.push(call)
      if (calls.length > maxCalls) calls.splice(0, calls.length - maxCalls)
      void run(call, phoneNumber, account, {
        durationMs: body.durationMs ?? defaultCallDurationMs,
        endedReason: body.endedReason ?? 'customer-ended-call',
      })
      return { status: 202, body: { callId: call.id } }
    },
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** The control routes: place a call, list calls, set an account's (organisation's) server. */
export function registerSandboxCallRoutes<E extends Env>(app: Hono<E>, context: SandboxCallContext) {
  const calls = createSandboxCalls(context)
  const refuse = (message: string[] | string) => ({ message, error: 'Bad Request', statusCode: 400 })
  app.post('/_sandbox/calls', async (c) => {
    const body = parseJson(await c.req.text())
    const parsed = placeCallBodySchema.safeParse(body)
    if (!parsed.success) return c.json(refuse(toValidationMessages(parsed.error)), 400)
    const placed = calls.place(parsed.data)
    return c.json(placed.body, placed.status === 202 ? 202 : placed.status === 404 ? 404 : 409)
  })
  app.get('/_sandbox/calls', (c) => c.json(calls.list()))
  app.put('/_sandbox/accounts/:accountId/server', async (c) => {
    const account = context.findAccount(c.req.param('accountId'))
    if (!account) return c.json({ message: 'Account not found', error: 'Not Found', statusCode: 404 }, 404)
    const parsed = sandboxAccountServerBodySchema.safeParse(parseJson(await c.req.text()))
    if (!parsed.success) return c.json(refuse(toValidationMessages(parsed.error)), 400)
    if (parsed.data.server) account.server = parsed.data.server
    else delete account.server
    context.persist()
    return c.json({ accountId: account.id, server: account.server ?? null })
  })
  return calls
}
