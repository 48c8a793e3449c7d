// Webhook latency under normal load: signed Vapi status webhooks sent over real HTTP (keep-alive) to the whole
// app on Postgres, a few at a time, each timed from the first byte sent to the last byte of the answer.
//
//   cd server && TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/webhook-latency.bench.ts [count] [concurrency]
//
// Three kinds of delivery, interleaved so they share the machine's noise:
//   transition — a pending number's activation (lookup, delivery row, compare-and-set, history row, commit),
//   duplicate  — the same delivery again (lookup, conflicting insert),
//   not-ours   — a number dialtone does not hold (lookup, delivery row).
import os from 'node:os'
import { sql } from 'kysely'
import { startTestApp, testWebhookSecret } from '../test/support/test-app.ts'
import { signVapiWebhook } from '../src/vapi/verify-vapi-webhook.ts'
import { round, summarizeLatencies } from './latency-stats.ts'

const count = Number(process.argv[2] ?? 2_000)
const concurrency = Number(process.argv[3] ?? 8)
const warmup = 300

interface Delivery {
  kind: 'transition' | 'duplicate' | 'not-ours'
  body: string
  messageId: string
}

function activation(vapiPhoneNumberId: string, index: number) {
  return JSON.stringify({
    message: {
      type: 'phone-number-status-update',
      timestamp: Date.now(),
      phoneNumber: { id: vapiPhoneNumberId, status: 'active', number: `+1415${String(2_000_000 + index)}` },
    },
  })
}

async function main() {
  const harness = await startTestApp('postgres')
  try {
    const { organizationId } = await harness.signUp('Bench')
    const total = warmup + count
    await sql`
      insert into phone_number (organization_id, vapi_phone_number_id, area_code, status, created_at, updated_at, next_check_at)
      select ${organizationId}, 'bench-' || i, '415', 'pending', now(), now(), now() + interval '1 hour'
      from generate_series(1, ${total}) as i`.execute(harness.db)
    await sql`analyze phone_number`.execute(harness.db)

    // Every third delivery repeats one sent a little earlier or names a stranger's number; the rest are activations.
    const deliveries: Delivery[] = []
    const transitions: Delivery[] = []
    for (let index = 1; index <= total; index++) {
      const transition = {
        kind: 'transition' as const,
        body: activation(`bench-${index}`, index),
        messageId: `m-${index}`,
      }
      transitions.push(transition)
      deliveries.push(transition)
      const earlier = transitions[index - 1 - 2 * concurrency]
      if (index % 3 === 0 && earlier) deliveries.push({ ...earlier, kind: 'duplicate' })
      if (index % 3 === 1) {
        deliveries.push({ kind: 'not-ours', body: activation(`stranger-${index}`, index), messageId: `s-${index}` })
      }
    }
    const warm = deliveries.filter((delivery) => Number(delivery.messageId.slice(2)) <= warmup)
    const measured = deliveries.filter((delivery) => Number(delivery.messageId.slice(2)) > warmup)

    const outcomes: Record<string, number> = {}
    const samples: Record<Delivery['kind'], number[]> = { transition: [], duplicate: [], 'not-ours': [] }
    const send = async (delivery: Delivery, record: boolean) => {
      const headers = signVapiWebhook({
        mode: 'hmac',
        secret: testWebhookSecret,
        rawBody: delivery.body,
        timestampMs: Date.now(),
      })
      const startedAt = performance.now()
      const response = await fetch(`${harness.baseUrl}/webhooks/vapi`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-message-id': delivery.messageId, ...headers },
        body: delivery.body,
      })
      const answer = await response.text()
      const elapsedMs = performance.now() - startedAt
      if (!record) return
      samples[delivery.kind].push(elapsedMs)
      const outcome =
        response.status === 200 ? (JSON.parse(answer) as { outcome: string }).outcome : String(response.status)
      outcomes[`${delivery.kind}→${outcome}`] = (outcomes[`${delivery.kind}→${outcome}`] ?? 0) + 1
    }
    const run = async (list: Delivery[], record: boolean) => {
      const queue = [...list]
      const worker = async () => {
        for (let delivery = queue.shift(); delivery; delivery = queue.shift()) await send(delivery, record)
      }
      await Promise.all(Array.from({ length: concurrency }, worker))
    }

    await run(warm, false)
    const startedAt = performance.now()
    await run(measured, true)
    const seconds = (performance.now() - startedAt) / 1000

    const all = summarizeLatencies([...samples.transition, ...samples.duplicate, ...samples['not-ours']])
    console.log('webhook latency bench: POST /webhooks/vapi, whole app (Hono on node:http) + Postgres, HMAC mode')
    console.log(
      `machine: ${os.cpus()[0]?.model ?? 'unknown cpu'} × ${os.cpus().length}, load ${os
        .loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')}, node ${process.version}`,
    )
    console.log(
      `method: ${measured.length} deliveries after ${warm.length} warm-up, ${concurrency} in flight, keep-alive, client on the same machine`,
    )
    console.log(`throughput: ${round(measured.length / seconds, 0)} deliveries/s`)
    for (const kind of ['transition', 'duplicate', 'not-ours'] as const) {
      const summary = summarizeLatencies(samples[kind])
      console.log(
        `${kind.padEnd(10)} n=${summary.count} p50=${summary.p50Ms} ms p90=${summary.p90Ms} ms p99=${summary.p99Ms} ms max=${summary.maxMs} ms`,
      )
    }
    console.log(
      `all        n=${all.count} p50=${all.p50Ms} ms p90=${all.p90Ms} ms p99=${all.p99Ms} ms max=${all.maxMs} ms`,
    )
    console.log(`outcomes: ${JSON.stringify(outcomes)}`)
  } finally {
    await harness.close()
  }
}

await main()
