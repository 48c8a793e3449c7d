import { Hono } from 'hono'
import type { AssistantList } from '@dialtone/shared/assistants'
import type { ViewerVariables } from '../http/require-viewer.ts'

/** GET /api/assistants: the organisation's Vapi assistants ({ items: [{ id, name }] }). */
export function assistantRoutes(deps: { listAssistants: (organizationId: string) => Promise<AssistantList> }) {
  return new Hono<{ Variables: ViewerVariables }>().get('/', async (c) =>
    c.json(await deps.listAssistants(c.get('viewer').organizationId)),
  )
}
