import { spawnServerProcess, type ServerProcess } from '../../test/support/server-process.ts'

export const chaosAuthSecret = 'chaos-auth-secret-0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a'
export const chaosWebhookSecret = 'chaos-webhook-secret-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d'

export interface ServerSettings {
  port: number
  databaseUrl: string
  vapiBaseUrl: string
  /** Anything else main.ts reads. */
  env?: Record<string, string>
}

export type ChaosServer = ServerProcess

/** A server process (the shared spawn helper) with the chaos suite's secrets; webhooks come back to it. */
export function startServer(settings: ServerSettings): ChaosServer {
  return spawnServerProcess({
    port: settings.port,
    databaseUrl: settings.databaseUrl,
    vapiBaseUrl: settings.vapiBaseUrl,
    authSecret: chaosAuthSecret,
    webhookSecret: chaosWebhookSecret,
    ...(settings.env ? { extraEnv: settings.env } : {}),
  })
}
