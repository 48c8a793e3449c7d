import { connectionSchema, type Connection } from '@dialtone/shared/connections'
import { requestJson } from '../../lib/request-json.ts'

export type VapiConnection = Connection

// The key goes in, never comes back: every answer carries its last four characters at most.
const path = '/api/connections/vapi'

export function fetchVapiConnection(signal?: AbortSignal) {
  return requestJson(path, connectionSchema, signal ? { signal } : {})
}

export function connectVapiAccount(apiKey: string) {
  return requestJson(path, connectionSchema, { method: 'PUT', body: { apiKey } })
}

/** The answer is what is left: the platform's account, or nothing (a sandbox account is made when next needed). */
export function disconnectVapiAccount() {
  return requestJson(path, connectionSchema, { method: 'DELETE' })
}
