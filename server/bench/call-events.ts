import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import type { ServerProcess } from '../test/support/server-process.ts'
import { signVapiWebhook } from '../src/vapi/verify-vapi-webhook.ts'
import { insertOrganization, type ScratchDatabase } from './bench-database.ts'
import { readPgbenchFigures, runMeasured } from './pgbench-ingest.ts'
import { createKeepAliveSender, runClosedLoop, type PreparedRequest } from './http-load.ts'
import { round, sleep, summarizeLatencies, type LatencySummary } from './latency-stats.ts'

// The call-event load of issue 17: Vapi's messages for many calls at once (status updates, speech updates,
// transcripts, conversation updates, the end-of-call report) to one server process, for an organisation that
// relays them (each message is stored in the outbox as well as moving the number's activity), and the time the
// relay adds to an assistant-request.

/** The 21 messages of one short call, in Vapi's order (the sandbox sends the same sequence). */
function callMessages(vapiPhoneNumberId: string, callId: string, startMs: number): Record<string, unknown>[] {
  const base = (type: string, offset: number, fields: Record<string, unknown> = {}) => ({
    type,
    timestamp: startMs + offset,
    phoneNumber: { id: vapiPhoneNumberId },
    call: { id: callId, phoneNumberId: vapiPhoneNumberId, type: 'inboundPhoneCall' },
    ...fields,
  })
  const messages = [
    base('status-update', 0, { status: 'queued' }),
    base('status-update', 1, { status: 'ringing' }),
    base('status-update', 2, { status: 'in-progress' }),
  ]
  for (let turn = 0; turn < 4; turn++) {
    const role = turn % 2 === 0 ? 'assistant' : 'user'
    const at = 10 + turn * 10
    messages.push(
      base('speech-update', at, { status: 'started', role, turn }),
      base('transcript', at + 1, { role, transcriptType: 'final', transcript: `Line ${turn} of the conversation.` }),
      base('speech-update', at + 2, { status: 'stopped', role, turn }),
      base('conversation-update', at + 3, { messages: [{ role, message: `Line ${turn}` }] }),
    )
  }
  messages.push(
    base('status-update', 100, { status: 'ended', endedReason: 'customer-ended-call' }),
    base('end-of-call-report', 101, { endedReason: 'customer-ended-call', cost: 0.02, durationSeconds: 42 }),
  )
  return messages
}

export const messagesPerCall = 21
const statusMessagesPerCall = 5

function signed(message: Record<string, unknown>, secret: string): PreparedRequest {
  const body = JSON.stringify({ message })
  const headers = signVapiWebhook({ mode: 'hmac', secret, rawBody: body, timestampMs: Date.now() })
  return { path: '/webhooks/vapi', headers: { ...headers, 'content-type': 'application/json' }, body }
}

/** The organisation's own server: answers every message at once (an assistant for an assistant-request). */
async function startOrganizationServer() {
  let received = 0
  const server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      received += 1
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end('{"assistantId":"0b8f4a7e-5d7e-4f0e-9a55-3c1d2e0f4a11"}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/vapi`,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function insertActiveNumbers(database: ScratchDatabase, organizationId: string, prefix: string, count: number) {
  await sql`
    insert into phone_number (organization_id, vapi_phone_number_id, area_code, number, status, activated_at, created_at, updated_at)
    select ${organizationId}, ${prefix} || i, '415', '+1415' || lpad(i::text, 7, '0'), 'active', now(), now(), now()
    from generate_series(1, ${count}::int) as i`.execute(database.db)
}

export interface CallEventRunResult {
  label: string
  calls: number
  messages: number
  /** Offered rate for the paced run (calls × one message per interval); null for the closed loop. */
  offeredPerSecond: number | null
  messagesPerSecond: number
  latency: LatencySummary
  statuses: Record<string, number>
}

export interface CallEventBenchResult {
  runs: CallEventRunResult[]
  relay: { direct: LatencySummary; throughDialtone: LatencySummary; addedP50Ms: number; addedP99Ms: number }
  outboxRows: number
  pgbench:
    | { transactionsPerSecond: number; latency: LatencySummary; clients: number; transactions: number }
    | { skipped: string }
}

/** Every call of a run sends its messages one after the other, one per `intervalMs`, all calls at once. */
async function runPaced(input: {
  baseUrl: string
  calls: PreparedRequest[][]
  intervalMs: number
  maxSockets: number
}) {
  const sender = createKeepAliveSender(input.baseUrl, input.maxSockets)
  const latenciesMs: number[] = []
  const statuses: Record<string, number> = {}
  const startedAt = performance.now()
  await Promise.all(
    input.calls.map(async (messages, index) => {
      // Calls start spread over one interval, as real calls do not all start in the same millisecond.
      const callStart = startedAt + (index / input.calls.length) * input.intervalMs
      for (const [position, message] of messages.entries()) {
        const due = callStart + position * input.intervalMs
        const wait = due - performance.now()
        if (wait > 0) await sleep(wait)
        const answer = await sender.send(message)
        latenciesMs.push(answer.latencyMs)
        statuses[String(answer.status)] = (statuses[String(answer.status)] ?? 0) + 1
      }
    }),
  )
  const elapsedMs = performance.now() - startedAt
  sender.close()
  return { elapsedMs, latenciesMs, statuses }
}

/** Latency of assistant-requests sent straight to the organisation's server, and through dialtone's relay. */
async function relayLatency(input: {
  server: ServerProcess
  organizationUrl: string
  vapiPhoneNumberId: string
  secret: string
  count: number
}) {
  const requests = Array.from({ length: input.count }, (_, index) =>
    signed(
      {
        type: 'assistant-request',
        timestamp: Date.now() + index,
        phoneNumber: { id: input.vapiPhoneNumberId },
        call: { id: `relay-${index}`, phoneNumberId: input.vapiPhoneNumberId },
      },
      input.secret,
    ),
  )
  const organization = new URL(input.organizationUrl)
  const direct = await runClosedLoop({
    baseUrl: organization.origin,
    requests: requests.map((request) => ({ ...request, path: organization.pathname })),
    concurrency: 4,
  })
  const through = await runClosedLoop({ baseUrl: input.server.url, requests, concurrency: 4 })
  const directSummary = summarizeLatencies(direct.latenciesMs)
  const throughSummary = summarizeLatencies(through.latenciesMs)
  return {
    direct: directSummary,
    throughDialtone: throughSummary,
    addedP50Ms: round(throughSummary.p50Ms - directSummary.p50Ms),
    addedP99Ms: round(throughSummary.p99Ms - directSummary.p99Ms),
  }
}

// What one status message costs the database, in the order dialtone sends it (webhook-routes.ts →
// handle-call-message.ts → ingest-vapi-webhook.ts): the number by Vapi id, the organisation's setting, then in
// one transaction the lock, the call's monotonic upsert, the last ended reasons, the activity recomputed from the
// calls and the outbox row; then the number looked up again and the delivery row. Other messages skip the
// call statements. pgbench's own extra: nextval() for a distinct call and message.
const statusScript = `
SELECT nextval('bench_call_seq') AS n \\gset
SELECT id AS p_id, organization_id AS p_org FROM phone_number WHERE vapi_phone_number_id = 'cpg-' || (1 + :n::bigint % 200)::text \\gset
SELECT * FROM call_event_setting WHERE organization_id = :p_org::text;
BEGIN;
SELECT id FROM phone_number WHERE id = :p_id::uuid FOR UPDATE;
INSERT INTO vapi_call (id, organization_id, phone_number_id, stage, started_at, answered_at, ended_at, ended_reason)
  VALUES ('pg-' || (:n::bigint / 5)::text, :p_org::text, :p_id::uuid, 1 + :n::bigint % 4, now(), NULL, NULL, NULL)
  ON CONFLICT (id) DO UPDATE SET stage = greatest(vapi_call.stage, excluded.stage),
    started_at = least(vapi_call.started_at, excluded.started_at),
    answered_at = coalesce(vapi_call.answered_at, excluded.answered_at),
    ended_at = coalesce(vapi_call.ended_at, excluded.ended_at),
    ended_reason = coalesce(vapi_call.ended_reason, excluded.ended_reason)
  WHERE vapi_call.phone_number_id = excluded.phone_number_id AND (vapi_call.stage < excluded.stage
    OR (vapi_call.ended_reason IS NULL AND excluded.ended_reason IS NOT NULL)
    OR (vapi_call.answered_at IS NULL AND excluded.answered_at IS NOT NULL))
  RETURNING id;
SELECT ended_reason FROM vapi_call WHERE phone_number_id = :p_id::uuid AND stage = 4 ORDER BY ended_at DESC LIMIT 3;
UPDATE phone_number SET
  call_state = CASE
    WHEN EXISTS (SELECT 1 FROM vapi_call c WHERE c.phone_number_id = :p_id::uuid AND c.stage = 3 AND c.started_at > now() - interval '4 hours') THEN 'in-call'
    WHEN EXISTS (SELECT 1 FROM vapi_call c WHERE c.phone_number_id = :p_id::uuid AND c.stage IN (1, 2) AND c.started_at > now() - interval '4 hours') THEN 'ringing'
    ELSE 'idle' END,
  call_started_at = coalesce(
    (SELECT min(coalesce(c.answered_at, c.started_at)) FROM vapi_call c WHERE c.phone_number_id = :p_id::uuid AND c.stage = 3 AND c.started_at > now() - interval '4 hours'),
    (SELECT min(c.started_at) FROM vapi_call c WHERE c.phone_number_id = :p_id::uuid AND c.stage IN (1, 2) AND c.started_at > now() - interval '4 hours')),
  last_call_at = (SELECT max(c.ended_at) FROM vapi_call c WHERE c.phone_number_id = :p_id::uuid AND c.stage = 4),
  last_ended_reason = (SELECT c.ended_reason FROM vapi_call c WHERE c.phone_number_id = :p_id::uuid AND c.stage = 4 ORDER BY c.ended_at DESC LIMIT 1),
  calls_today = (SELECT count(*)::int FROM vapi_call c WHERE c.phone_number_id = :p_id::uuid AND c.started_at >= date_trunc('day', now())),
  calls_today_on = to_char(now(), 'YYYY-MM-DD'),
  answered_first_call_at = coalesce(answered_first_call_at, (SELECT min(c.answered_at) FROM vapi_call c WHERE c.phone_number_id = :p_id::uuid)),
  call_failing = false,
  version = version + 1
  WHERE id = :p_id::uuid RETURNING *;
INSERT INTO call_event (organization_id, phone_number_id, call_id, message_type, message_key, order_key, occurred_at, received_at, payload, forward_body, relay, next_attempt_at)
  VALUES (:p_org::text, :p_id::uuid, 'pg-' || (:n::bigint / 5)::text, 'status-update', 'pg-status-' || :n::bigint::text, :p_org::text || '|pg-' || (:n::bigint / 5)::text, now(), now(),
    '{"type":"status-update","status":"ringing"}'::jsonb, '{"message":{"type":"status-update","status":"ringing"}}', 'queued', now())
  ON CONFLICT (message_key) DO NOTHING RETURNING id;
COMMIT;
SELECT * FROM phone_number WHERE vapi_phone_number_id = 'cpg-' || (1 + :n::bigint % 200)::text;
INSERT INTO webhook_delivery (delivery_id, message_type, vapi_phone_number_id, phone_number_id, outcome, payload, received_at)
  VALUES ('pg-status-' || :n::bigint::text, 'status-update', 'cpg-' || (1 + :n::bigint % 200)::text, :p_id::uuid, 'unchanged', '{"message":{"type":"status-update"}}'::jsonb, now())
  ON CONFLICT (delivery_id) DO NOTHING RETURNING delivery_id;
`

const otherScript = `
SELECT nextval('bench_call_seq') AS n \\gset
SELECT id AS p_id, organization_id AS p_org FROM phone_number WHERE vapi_phone_number_id = 'cpg-' || (1 + :n::bigint % 200)::text \\gset
SELECT * FROM call_event_setting WHERE organization_id = :p_org::text;
BEGIN;
INSERT INTO call_event (organization_id, phone_number_id, call_id, message_type, message_key, order_key, occurred_at, received_at, payload, forward_body, relay, next_attempt_at)
  VALUES (:p_org::text, :p_id::uuid, 'pg-' || (:n::bigint / 5)::text, 'transcript', 'pg-other-' || :n::bigint::text, :p_org::text || '|pg-' || (:n::bigint / 5)::text, now(), now(),
    '{"type":"transcript","role":"user"}'::jsonb, '{"message":{"type":"transcript","role":"user","transcript":"Line of the conversation."}}', 'queued', now())
  ON CONFLICT (message_key) DO NOTHING RETURNING id;
COMMIT;
SELECT * FROM phone_number WHERE vapi_phone_number_id = 'cpg-' || (1 + :n::bigint % 200)::text;
INSERT INTO webhook_delivery (delivery_id, message_type, vapi_phone_number_id, phone_number_id, outcome, payload, received_at)
  VALUES ('pg-other-' || :n::bigint::text, 'transcript', 'cpg-' || (1 + :n::bigint % 200)::text, :p_id::uuid, 'unchanged', '{"message":{"type":"transcript"}}'::jsonb, now())
  ON CONFLICT (delivery_id) DO NOTHING RETURNING delivery_id;
`

async function pgbenchCallEvents(input: {
  pgbench: string
  database: ScratchDatabase
  organizationId: string
  transactions: number
  clients: number
}) {
  await insertActiveNumbers(input.database, input.organizationId, 'cpg-', 200)
  await input.database.pool?.query('create sequence if not exists bench_call_seq')
  await input.database.pool?.query('vacuum analyze')
  const folder = await mkdtemp(path.join(tmpdir(), 'dialtone-pgbench-calls-'))
  try {
    await writeFile(path.join(folder, 'status.sql'), statusScript)
    await writeFile(path.join(folder, 'other.sql'), otherScript)
    const perClient = Math.ceil(input.transactions / input.clients)
    const { stdout } = await runMeasured(
      input.pgbench,
      [
        '--no-vacuum',
        '--protocol=extended',
        `--client=${input.clients}`,
        '--jobs=2',
        `--transactions=${perClient}`,
        // The same mix as a call: 5 status messages in 21.
        `--file=${path.join(folder, 'status.sql')}@${statusMessagesPerCall}`,
        `--file=${path.join(folder, 'other.sql')}@${messagesPerCall - statusMessagesPerCall}`,
        '--log',
        `--log-prefix=${path.join(folder, 'log')}`,
        input.database.url,
      ],
      folder,
    )
    const { tps, latenciesMs } = await readPgbenchFigures(stdout, folder)
    return {
      transactionsPerSecond: round(Number(tps), 0),
      latency: summarizeLatencies(latenciesMs),
      clients: input.clients,
      transactions: perClient * input.clients,
    }
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}

export async function benchCallEvents(input: {
  database: ScratchDatabase
  startServer: (extraEnv: Record<string, string>) => Promise<ServerProcess>
  webhookSecret: string
  saturationCalls: number
  pacedCalls: number
  pacedIntervalMs: number
  relayRequests: number
  pgbench: string | null
  pgbenchClients: number
}): Promise<CallEventBenchResult> {
  const organization = await startOrganizationServer()
  try {
    const organizationId = await insertOrganization(input.database, 'Call-event bench')
    const numbers = Math.max(input.saturationCalls, input.pacedCalls)
    await insertActiveNumbers(input.database, organizationId, 'calls-', numbers)
    await input.database.db
      .insertInto('call_event_setting')
      .values({
        organization_id: organizationId,
        is_enabled: true,
        forward_url: organization.url,
        forward_auth_type: null,
        forward_secret_ciphertext: null,
        forward_secret_hint: null,
        fallback_assistant_id: null,
        updated_at: new Date(),
      })
      .execute()
    await input.database.pool?.query('vacuum analyze')
    // Web only, as the other ingest figures: the outbox fills and is not drained during the measurement.
    const server = await input.startServer({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' })
    const prepare = (label: string, calls: number) =>
      Array.from({ length: calls }, (_, index) =>
        callMessages(`calls-${index + 1}`, `${label}-${index}`, Date.now()).map((message) =>
          signed(message, input.webhookSecret),
        ),
      )
    const runs: CallEventRunResult[] = []

    // Warm-up (JIT, pool, caches), then the closed loop: message k of every call before message k + 1.
    const warmup = prepare('warmup', Math.min(50, input.saturationCalls))
    await runClosedLoop({ baseUrl: server.url, requests: interleave(warmup), concurrency: 32 })
    const saturation = interleave(prepare('saturation', input.saturationCalls))
    const closed = await runClosedLoop({ baseUrl: server.url, requests: saturation, concurrency: 32 })
    runs.push({
      label: 'closed loop, 32 in flight',
      calls: input.saturationCalls,
      messages: closed.sent,
      offeredPerSecond: null,
      messagesPerSecond: round((closed.sent / closed.elapsedMs) * 1000, 0),
      latency: summarizeLatencies(closed.latenciesMs),
      statuses: closed.statuses,
    })

    const paced = await runPaced({
      baseUrl: server.url,
      calls: prepare('paced', input.pacedCalls),
      intervalMs: input.pacedIntervalMs,
      maxSockets: 64,
    })
    const pacedMessages = input.pacedCalls * messagesPerCall
    runs.push({
      label: `${input.pacedCalls} calls at once, one message per call every ${input.pacedIntervalMs} ms`,
      calls: input.pacedCalls,
      messages: pacedMessages,
      offeredPerSecond: round((input.pacedCalls * 1000) / input.pacedIntervalMs, 0),
      messagesPerSecond: round((pacedMessages / paced.elapsedMs) * 1000, 0),
      latency: summarizeLatencies(paced.latenciesMs),
      statuses: paced.statuses,
    })

    const relay = await relayLatency({
      server,
      organizationUrl: organization.url,
      vapiPhoneNumberId: 'calls-1',
      secret: input.webhookSecret,
      count: input.relayRequests,
    })
    const outbox = await input.database.pool?.query<{ count: number }>(
      `select count(*)::int as count from call_event where organization_id = $1`,
      [organizationId],
    )
    await server.kill('SIGTERM')

    const pgbench = input.pgbench
      ? await pgbenchCallEvents({
          pgbench: input.pgbench,
          database: input.database,
          organizationId,
          transactions: input.saturationCalls * messagesPerCall,
          clients: input.pgbenchClients,
        })
      : { skipped: 'pgbench not found' }
    return { runs, relay, outboxRows: outbox?.rows[0]?.count ?? 0, pgbench }
  } finally {
    await organization.close()
  }
}

/** Message 1 of every call, then message 2 of every call, …: each call's messages leave in order. */
function interleave(calls: PreparedRequest[][]): PreparedRequest[] {
  const longest = Math.max(...calls.map((messages) => messages.length))
  const ordered: PreparedRequest[] = []
  for (let position = 0; position < longest; position++) {
    for (const messages of calls) {
      const message = messages[position]
      if (message) ordered.push(message)
    }
  }
  return ordered
}
