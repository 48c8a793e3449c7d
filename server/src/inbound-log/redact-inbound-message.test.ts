import { expect, test } from 'vitest'
import { headersWithoutCredentials, redactInboundPayload } from './redact-inbound-message.ts'

const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value))

const message = {
  message: {
    type: 'end-of-call-report',
    call: { id: 'call-1' },
    artifact: { transcript: 'hello', recordingUrl: 'https://r', messages: [{ role: 'user' }] },
    summary: 'They asked about hours.',
    assistant: { server: { url: 'https://x', secret: 'hunter2', headers: { 'X-Api-Key': 'k' } } },
    customer: { note: 'Bearer abc.def', other: 'sk_live_0123456789' },
  },
}

test('by default call content and credentials are left out, and the paths say what', () => {
  const { payload, redactions } = redactInboundPayload(encode(message), 'default')
  expect(payload).toEqual({
    message: {
      type: 'end-of-call-report',
      call: { id: 'call-1' },
      artifact: { transcript: '[redacted]', recordingUrl: '[redacted]', messages: '[redacted]' },
      summary: '[redacted]',
      assistant: { server: { url: 'https://x', secret: '[redacted]', headers: { 'X-Api-Key': '[redacted]' } } },
      customer: { note: '[redacted]', other: '[redacted]' },
    },
  })
  expect(redactions).toContain('message.artifact.transcript')
  expect(redactions).toContain('message.customer.other')
})

test('keeping call content still leaves credentials out', () => {
  const { payload } = redactInboundPayload(encode(message), 'content')
  expect(JSON.stringify(payload)).toContain('They asked about hours.')
  expect(JSON.stringify(payload)).toContain('"transcript":"hello"')
  expect(JSON.stringify(payload)).not.toContain('hunter2')
  expect(JSON.stringify(payload)).not.toContain('sk_live')
})

test('a body that is not JSON is kept as short text without bearer tokens; a huge one is not kept', () => {
  expect(redactInboundPayload(encode('token=1 Bearer secret-value'), 'default').payload).toEqual({
    unparsedBody: 'token=1 Bearer [redacted]',
  })
  const huge = { message: { type: 'x', blob: 'a'.repeat(70_000) } }
  expect(redactInboundPayload(encode(huge), 'default').payload).toEqual({ truncated: true, bodyBytes: 70_034 })
})

test('headers keep what explains a delivery and drop every credential', () => {
  const headers = new Headers({
    authorization: 'Bearer x',
    'x-vapi-secret': 's',
    'x-signature': 'abc',
    cookie: 'a=b',
    'telnyx-signature-ed25519': 'sig',
    'x-timestamp': '1',
    'x-message-id': 'm',
    'content-type': 'application/json',
  })
  expect(headersWithoutCredentials(headers)).toEqual({
    'x-timestamp': '1',
    'x-message-id': 'm',
    'content-type': 'application/json',
  })
})
