import { assistantListSchema } from '@dialtone/shared/assistants'
import { requestJson } from '../../lib/request-json.ts'

export function fetchAssistants(signal?: AbortSignal) {
  return requestJson('/api/assistants', assistantListSchema, signal ? { signal } : {})
}
