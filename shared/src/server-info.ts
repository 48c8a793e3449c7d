import { z } from 'zod'

/** `GET /api/server-info`: what the dashboard must tell the owner about the server it talks to. */
export const serverInfoSchema = z.object({
  isSandbox: z.boolean(),
  version: z.string(),
})
export type ServerInfo = z.infer<typeof serverInfoSchema>
