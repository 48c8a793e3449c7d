import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { z } from 'zod'
import { sandboxAssistantSchema, type SandboxAssistant } from './sandbox-validation.ts'

// A sandbox account is one Vapi organisation: its private key, its org id, its assistants. Numbers point at the
// account that bought them. Accounts are made on purpose (`POST /_sandbox/accounts`, or the `accounts` option) or,
// while the sandbox accepts unknown keys, the first time a key is used (as every key was its own org before).

export const sandboxAccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  orgId: z.string(),
  apiKey: z.string(),
  /** Made by the first request with an unknown key rather than on purpose. */
  isImplicit: z.boolean(),
  createdAt: z.string(),
  assistants: z.array(sandboxAssistantSchema),
  /** The organisation's server URL (Vapi's org serverUrl): calls' messages go there when nothing nearer has one. */
  server: z.looseObject({ url: z.string(), headers: z.record(z.string(), z.unknown()).optional() }).optional(),
})
export type SandboxAccount = z.infer<typeof sandboxAccountSchema>

/** The assistants every new account starts with, so a dashboard has something to offer. */
export const seededAssistants = [
  { name: 'Front desk', firstMessage: 'Thanks for calling! How can I help you today?' },
  { name: 'After-hours line', firstMessage: 'We are closed right now, but I can take a message.' },
  { name: 'Appointment setter', firstMessage: 'Hi! Would you like to book an appointment?' },
] as const

/** A stable, uuid-shaped organisation id per API key, so an implicit account keeps the org id keys always had. */
export function orgIdForKey(apiKey: string) {
  const hex = createHash('sha256').update(`dialtone-sandbox-org:${apiKey}`).digest('hex')
  return uuidShaped(hex)
}

function uuidShaped(hex: string) {
  const variant = '89ab'[Number.parseInt(hex.charAt(16), 16) % 4] ?? '8'
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** Vapi's private keys are uuids; the sandbox's are too, so nothing downstream can tell them apart by shape. */
export function newApiKey() {
  return uuidShaped(randomBytes(16).toString('hex'))
}

/** The last four characters: all the sandbox ever shows of a key. */
export function keyHint(apiKey: string) {
  return apiKey.slice(-4)
}

export function newAssistant(
  orgId: string,
  fields: {
    name?: string | undefined
    firstMessage?: string | undefined
    metadata?: Record<string, unknown>
    server?: SandboxAssistant['server']
  },
  now: string,
): SandboxAssistant {
  const assistant: SandboxAssistant = { id: randomUUID(), orgId, createdAt: now, updatedAt: now }
  if (fields.name !== undefined) assistant.name = fields.name
  if (fields.firstMessage !== undefined) assistant.firstMessage = fields.firstMessage
  if (fields.metadata !== undefined) assistant.metadata = fields.metadata
  if (fields.server !== undefined) assistant.server = fields.server
  return assistant
}

export function newAccount(input: {
  name: string
  apiKey: string
  orgId: string
  isImplicit: boolean
  now: string
}): SandboxAccount {
  const { name, apiKey, orgId, isImplicit, now } = input
  return {
    id: randomUUID(),
    name,
    orgId,
    apiKey,
    isImplicit,
    createdAt: now,
    assistants: seededAssistants.map((seed) => newAssistant(orgId, seed, now)),
  }
}
