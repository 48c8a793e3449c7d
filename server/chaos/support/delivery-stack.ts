import type { Kysely } from 'kysely'
import {
  startTelnyxSandbox,
  startTwilioSandbox,
  type RunningTelnyxSandbox,
  type RunningTwilioSandbox,
} from '../../src/carrier-sandbox/start-carrier-sandboxes.ts'
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
  /** The Twilio and Telnyx sandboxes, when asked for: the server buys there and Vapi imports from there. */
  carriers: { twilio: RunningTwilioSandbox; telnyx: RunningTelnyxSandbox } | null
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
  options: { withCarriers?: boolean } = {},
): Promise<DeliveryStack> {
  const port = await findFreePort()
  const carriers = options.withCarriers
    ? {
        twilio: await startTwilioSandbox({ port: 0 }),
        // Number-order webhooks go to the server (the sandbox accounts the server makes name no URL of their own).
        telnyx: await startTelnyxSandbox({ port: 0, webhookUrl: `http://127.0.0.1:${port}/webhooks/telnyx` }),
      }
    : null
  const sandbox = await startVapiSandbox({
    port: 0,
    minDelayMs: sandboxDelayMs.min,
    maxDelayMs: sandboxDelayMs.max,
    freeNumberLimit: 1_000_000,
    webhookSecret: chaosWebhookSecret,
    ...(carriers
      ? { carriers: { twilioBaseUrl: carriers.twilio.baseUrl, telnyxBaseUrl: carriers.telnyx.baseUrl } }
      : {}),
  })
  const smtp = await startSmtpReceiver()
  const receiver = await startWebhookReceiver()
  const server = startServer({
    port,
    databaseUrl,
    vapiBaseUrl: sandbox.url,
    env: {
      VAPI_MAX_RPS: '100',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'dialtone <numbers@dialtone.test>',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      ...(carriers
        ? {
            TWILIO_BASE_URL: carriers.twilio.baseUrl,
            TELNYX_BASE_URL: carriers.telnyx.baseUrl,
            TELNYX_PUBLIC_KEY: carriers.telnyx.publicKey,
          }
        : {}),
    },
  })
  await server.waitReady()
  const receiverBase = new URL(receiver.url).origin
  return {
    sandbox,
    smtp,
    receiver,
    server,
    carriers,
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
      await carriers?.twilio.close()
      await carriers?.telnyx.close()
    },
  }
}
