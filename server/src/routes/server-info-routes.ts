import type { ServerInfo } from '@dialtone/shared/server-info'
import { Hono } from 'hono'

/** GET /api/server-info: whether this server buys from the sandbox, and its version. Open to anyone. */
export function serverInfoRoutes(info: ServerInfo) {
  return new Hono().get('/server-info', (c) => c.json(info))
}
