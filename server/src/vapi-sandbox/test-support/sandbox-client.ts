import { z } from 'zod'

// Plain HTTP calls to a sandbox on a real port, and the shapes its answers are read with, for the sandbox's tests.

export const sandboxPhoneNumberShape = z.looseObject({
  id: z.uuid(),
  orgId: z.string(),
  provider: z.literal('vapi'),
  status: z.string(),
  number: z.string().optional(),
  numberDesiredAreaCode: z.string(),
  name: z.string().optional(),
  assistantId: z.string().optional(),
  server: z.looseObject({ url: z.string().optional() }).optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})

export const sandboxAssistantShape = z.looseObject({
  id: z.uuid(),
  orgId: z.string(),
  name: z.string().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})

export const vapiErrorShape = z.object({
  message: z.union([z.string(), z.array(z.string())]),
  error: z.string(),
  statusCode: z.number(),
})

export const createdAccountShape = z.strictObject({
  accountId: z.uuid(),
  orgId: z.uuid(),
  name: z.string(),
  apiKey: z.uuid(),
  assistants: z.array(z.strictObject({ id: z.uuid(), name: z.string() })),
})
export type CreatedAccount = z.infer<typeof createdAccountShape>

export async function sandboxCall(
  baseUrl: string,
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (options.key != null) headers.authorization = `Bearer ${options.key}`
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  const json: unknown = await response.json()
  return { status: response.status, json }
}

export async function createSandboxAccount(baseUrl: string, name?: string): Promise<CreatedAccount> {
  const response = await sandboxCall(baseUrl, 'POST', '/_sandbox/accounts', {
    body: name === undefined ? {} : { name },
  })
  if (response.status !== 201) throw new Error(`POST /_sandbox/accounts answered ${response.status}`)
  return createdAccountShape.parse(response.json)
}

/** Buys a free number with `key`; throws unless the sandbox answered 201. */
export async function buySandboxNumber(baseUrl: string, key: string, body: Record<string, unknown> = {}) {
  const response = await sandboxCall(baseUrl, 'POST', '/phone-number', {
    key,
    body: { provider: 'vapi', numberDesiredAreaCode: '415', ...body },
  })
  if (response.status !== 201) {
    throw new Error(`POST /phone-number answered ${response.status}: ${JSON.stringify(response.json)}`)
  }
  return sandboxPhoneNumberShape.parse(response.json)
}
