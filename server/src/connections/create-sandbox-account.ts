import { z } from 'zod'

const sandboxAccountSchema = z.looseObject({
  accountId: z.string().min(1),
  apiKey: z.string().min(1),
})
export type SandboxAccount = z.infer<typeof sandboxAccountSchema>

/**
 * Asks the Vapi sandbox (sandbox mode only) for a fresh account: `POST /_sandbox/accounts { name }` answers its
 * private key, its own inventory, its own seeded assistants and its own free-number limit.
 */
export async function createSandboxAccount(
  sandboxUrl: string,
  name: string,
  fetchImplementation: typeof fetch = fetch,
): Promise<SandboxAccount> {
  const response = await fetchImplementation(`${sandboxUrl.replace(/\/+$/, '')}/_sandbox/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ name }),
    signal: AbortSignal.timeout(10_000),
  })
  const text = await response.text()
  if (response.status !== 201) {
    throw new Error(`the Vapi sandbox refused a new account: HTTP ${response.status} ${text.slice(0, 200)}`)
  }
  return sandboxAccountSchema.parse(JSON.parse(text))
}
