import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

// A carrier sandbox's accounts, numbers and orders across restarts: one JSON file, written whole on every change to
// a temporary file renamed over the old one (a crash leaves the old state or the new one, never half).

export class CarrierSandboxStateFileError extends Error {
  constructor(carrier: string, file: string, problem: string) {
    super(
      `The ${carrier} sandbox's state file ${file} cannot be read (${problem}). It keeps the sandbox's accounts and ` +
        'numbers across restarts, so the sandbox will not start over it: fix it, or move it away to start empty.',
    )
    this.name = 'CarrierSandboxStateFileError'
  }
}

/** The state in `file`, or null when there is none yet; a file that is not such a state stops the start. */
export function readCarrierSandboxState<T>(carrier: string, file: string, schema: z.ZodType<T>): T | null {
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
    throw new CarrierSandboxStateFileError(carrier, file, error instanceof Error ? error.message : String(error))
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw new CarrierSandboxStateFileError(carrier, file, z.prettifyError(parsed.error))
  return parsed.data
}

export function writeCarrierSandboxState(file: string, state: unknown) {
  mkdirSync(path.dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  // The file holds the sandbox accounts' secrets: readable by the owner only.
  writeFileSync(temporary, `${JSON.stringify(state)}\n`, { mode: 0o600 })
  renameSync(temporary, file)
}
