import { z } from 'zod'
import { requestJson } from '../../lib/request-json.ts'

// GET/PUT/DELETE /api/connections/vapi (CONTRACT.md, second round). The key goes in, never comes back.
const vapiConnectionSchema = z.object({
  connected: z.boolean(),
  source: z.enum(['organization', 'platform', 'sandbox']).nullable(),
  keyHint: z.string().nullable(),
  connectedAt: z.string().nullable(),
})
export type VapiConnection = z.infer<typeof vapiConnectionSchema>

const path = '/api/connections/vapi'

export function fetchVapiConnection(signal?: AbortSignal) {
  return requestJson(path, vapiConnectionSchema, signal ? { signal } : {})
}

export function connectVapiAccount(apiKey: string) {
  return requestJson(path, vapiConnectionSchema, { method: 'PUT', body: { apiKey } })
}

/** The answer may be the connection left (the platform's, say) or empty: the caller asks again either way. */
export function disconnectVapiAccount() {
  return requestJson(path, z.unknown(), { method: 'DELETE' })
}
