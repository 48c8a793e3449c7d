import type { Kysely } from 'kysely'
import type { Database } from '../../src/db/schema.ts'
import { startVapiSandbox, type RunningVapiSandbox } from '../../src/vapi-sandbox/start-vapi-sandbox.ts'
import { findFreePort } from '../../test/support/cluster-client.ts'
import { startSmtpReceiver, type SmtpReceiver } from '../../test/support/smtp-receiver.ts'
import { startWebhookReceiver } from '../../test/support/start-webhook-receiver.ts'
import { call, signUpOwner, type Owner } from './chaos-client.ts'
import { chaosWebhookSecret, startServer, type ChaosServer } from './server-process.ts'

export interface DeliveryStack {
  sandbox: RunningVapiSandbox
  smtp: SmtpReceiver
  receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
  server: ChaosServer
  /** A new owner whose organisation sends its outbound webhooks to the receiver (under `/receiver/<label>`). */
  ownerWithEndpoint(db: Kysely<Database>, name: string): Promise<Owner>
  close(): Promise<void>
}

/**
 * A server with everything that leaves it caught by a real peer: the Vapi sandbox (numbers assigned after
 * `sandboxDelayMs`), an SMTP server for mail and an HTTP receiver for outbound webhooks. The scenarios that count
 * mail and deliveries (postgres-crash, soak) start the same stack.
 */
export async function startDeliveryStack(
  databaseUrl: string,
  sandboxDelayMs: { min: number; max: number },
): Promise<DeliveryStack> {
  const sandbox = await startVapiSandbox({
    port: 0,
    minDelayMs: sandboxDelayMs.min,
    maxDelayMs: sandboxDelayMs.max,
    freeNumberLimit: 1_000_000,
    webhookSecret: chaosWebhookSecret,
  })
  const smtp = await startSmtpReceiver()
  const receiver = await startWebhookReceiver()
  const server = startServer({
    port: await findFreePort(),
    databaseUrl,
    vapiBaseUrl: sandbox.url,
    env: {
      VAPI_MAX_RPS: '100',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'dialtone <numbers@dialtone.test>',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    },
  })
  await server.waitReady()
  const receiverBase = new URL(receiver.url).origin
  return {
    sandbox,
    smtp,
    receiver,
    server,
    ownerWithEndpoint: async (db, name) => {
      const owner = await signUpOwner(server.url, db, name)
      const endpoint = await call(`${server.url}/api/webhook-endpoints`, {
        method: 'POST',
        cookie: owner.cookie,
        headers: { origin: server.url },
        json: { url: `${receiverBase}/receiver/${encodeURIComponent(name)}` },
      })
      if (endpoint.status !== 201) {
        throw new Error(`registering ${name}'s webhook endpoint: ${endpoint.status} ${JSON.stringify(endpoint.body)}`)
      }
      return owner
    },
    close: async () => {
      await server.kill('SIGKILL')
      await receiver.close()
      await smtp.stop()
      await sandbox.close()
    },
  }
}
