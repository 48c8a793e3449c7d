import { z } from 'zod'
import { requestJson } from '../../lib/request-json.ts'

// GET /api/assistants (CONTRACT.md, second round): the organisation's Vapi assistants.
const assistantListSchema = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) })

export function fetchAssistants(signal?: AbortSignal) {
  return requestJson('/api/assistants', assistantListSchema, signal ? { signal } : {})
}
