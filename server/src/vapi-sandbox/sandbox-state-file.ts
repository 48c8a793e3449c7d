import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { sandboxAccountSchema } from './sandbox-accounts.ts'
import { sandboxPhoneNumberSchema } from './sandbox-validation.ts'
import { sandboxCredentialSchema } from './sandbox-carrier-imports.ts'

// What the sandbox keeps across restarts: accounts (with their keys and assistants), every number it holds and
// when a pending one is due to be settled. Written whole on every change, to a temporary file renamed over the
// old one, so a crash leaves either the old state or the new one, never half of either.

export const sandboxStateSchema = z.object({
  version: z.literal(1),
  accounts: z.array(sandboxAccountSchema),
  numbers: z.array(
    z.object({
      phoneNumber: sandboxPhoneNumberSchema,
      accountId: z.string(),
      releasedAt: z.string().nullable(),
      /** A number still waiting: what will happen to it and when. Null once settled (or never, for 534). */
      settlement: z.object({ outcome: z.enum(['assign', 'block']), dueAt: z.string() }).nullable(),
    }),
  ),
  /** Telnyx credentials made with POST /credential (absent in files written before imports existed). */
  credentials: z.array(sandboxCredentialSchema).optional(),
})
export type SandboxState = z.infer<typeof sandboxStateSchema>

/** The state in `file`, or null when there is no file yet. A file that is not a sandbox state stops the start. */
export function readSandboxState(file: string): SandboxState | null {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null
    throw error
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new SandboxStateFileError(file, error instanceof Error ? error.message : String(error))
  }
  const parsed = sandboxStateSchema.safeParse(json)
  if (!parsed.success) throw new SandboxStateFileError(file, z.prettifyError(parsed.error))
  return parsed.data
}

/** Temp file + rename: readers (and the next start) see the old state or the new one, whole. */
export function writeSandboxState(file: string, state: SandboxState) {
  mkdirSync(path.dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  // The file holds the sandbox accounts' private keys: readable by the owner only.
  writeFileSync(temporary, `${JSON.stringify(state)}\n`, { mode: 0o600 })
  renameSync(temporary, file)
}

export class SandboxStateFileError extends Error {
  constructor(file: string, problem: string) {
    super(
      `The Vapi sandbox's state file ${file} cannot be read (${problem}). It keeps the sandbox's accounts and ` +
        'numbers across restarts, so the sandbox will not start over it: fix it, or move it away to start empty.',
    )
    this.name = 'SandboxStateFileError'
  }
}
