import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import createClient from 'openapi-fetch'
import type { paths } from './dialtone-api.ts'

/**
 * Buys a number in an area code and waits until it is live, printing what happens. Written only from
 * /api/openapi.json: every type comes from dialtone-api.ts, which generate-client-types.ts made from it.
 */
export async function buyANumber(options: {
  baseUrl: string
  apiKey: string
  areaCode: string
  name?: string
  pollEveryMs?: number
  timeoutMs?: number
  log?: (line: string) => void
}): Promise<{ id: string; number: string }> {
  const log = options.log ?? console.log
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    headers: { Authorization: `Bearer ${options.apiKey}` },
  })

  // The same Idempotency-Key on a retry answers the first purchase instead of buying a second number.
  const idempotencyKey = randomUUID()
  log(`buying a number in area code ${options.areaCode} (Idempotency-Key ${idempotencyKey})`)
  const created = await client.POST('/api/phone-numbers', {
    params: { header: { 'Idempotency-Key': idempotencyKey } },
    body: { areaCode: options.areaCode, ...(options.name ? { name: options.name } : {}) },
  })
  if (created.error) {
    throw new Error(`dialtone refused the purchase: ${created.error.error.code}: ${created.error.error.message}`)
  }
  const { id } = created.data
  log(`requested: ${id} is ${created.data.status}`)

  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000)
  let lastStatus = created.data.status
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, options.pollEveryMs ?? 2_000))
    const current = await client.GET('/api/phone-numbers/{id}', { params: { path: { id } } })
    if (current.error) throw new Error(`checking ${id} failed: ${current.error.error.code}`)
    const phoneNumber = current.data
    if (phoneNumber.status !== lastStatus) log(`${id} is now ${phoneNumber.status}`)
    lastStatus = phoneNumber.status
    if (phoneNumber.status === 'active' && phoneNumber.number) {
      log(`live: ${phoneNumber.number} (detected by ${phoneNumber.detectedBy ?? 'unknown'})`)
      return { id, number: phoneNumber.number }
    }
    if (phoneNumber.status === 'failed' || phoneNumber.status === 'released') {
      throw new Error(`${id} ended ${phoneNumber.status}: ${phoneNumber.failureReason ?? 'no reason given'}`)
    }
  }
  throw new Error(`${id} was still ${lastStatus} when the wait ran out`)
}

// DIALTONE_URL=http://localhost:3000 DIALTONE_API_KEY=dt_test_... tsx buy-a-number.ts 415
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const apiKey = process.env.DIALTONE_API_KEY
  if (!apiKey) {
    console.error('Set DIALTONE_API_KEY to a key with numbers:write (Settings → API keys).')
    process.exit(2)
  }
  try {
    await buyANumber({
      baseUrl: process.env.DIALTONE_URL ?? 'http://localhost:3000',
      apiKey,
      areaCode: process.argv[2] ?? '415',
      pollEveryMs: Number(process.env.POLL_EVERY_MS ?? 2_000),
    })
  } catch (error) {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  }
}
