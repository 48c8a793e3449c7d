/** What the log keeps of a message's content: `content` keeps transcripts and recordings, `default` leaves them out. */
export type InboundLogContentPolicy = 'default' | 'content'

/** Call content: what callers said and where their voices are stored. Left out unless the server keeps content. */
const contentKeys = new Set([
  'transcript',
  'transcripts',
  'messages',
  'messagesOpenAIFormat',
  'conversation',
  'recording',
  'recordings',
  'recordingUrl',
  'stereoRecordingUrl',
  'recordingPath',
  'pcapUrl',
  'summary',
])

/** Keys whose values are credentials wherever they appear (a server's headers, an assistant's secret). */
const secretKeyPattern = /secret|token|password|passwd|authorization|api[-_]?key|credential|signature|cookie|private/i

/** A value that is a credential whatever its key: a bearer token, a Stripe/OpenAI-style key, a JWT. */
const secretValuePattern = /^(bearer\s+\S+|sk[-_][A-Za-z0-9_-]{8,}|whsec_\S+|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.)/i

const maxStoredBytes = 64 * 1024
const redacted = '[redacted]'

/**
 * The payload as the log stores it: credentials always replaced, call content left out by default. Returns the
 * dotted paths it changed, so the page can say what is missing. A body that is not JSON is kept as text (cut short).
 */
export function redactInboundPayload(
  rawBody: Uint8Array,
  policy: InboundLogContentPolicy,
): { payload: unknown; redactions: string[] } {
  const text = new TextDecoder().decode(rawBody)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return { payload: { unparsedBody: redactSecretText(text.slice(0, 2_048)) }, redactions: [] }
  }
  const redactions: string[] = []
  const payload = redactValue(parsed, '', policy, redactions)
  if (JSON.stringify(payload).length > maxStoredBytes) {
    return {
      payload: { truncated: true, bodyBytes: rawBody.byteLength },
      redactions: [...redactions, '(body over 64 KiB)'],
    }
  }
  return { payload, redactions }
}

function redactValue(value: unknown, path: string, policy: InboundLogContentPolicy, redactions: string[]): unknown {
  if (Array.isArray(value))
    return value.map((item, index) => redactValue(item, `${path}[${index}]`, policy, redactions))
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(value)) {
      const innerPath = path === '' ? key : `${path}.${key}`
      if (secretKeyPattern.test(key) && inner !== null && typeof inner !== 'object') {
        result[key] = redacted
        redactions.push(innerPath)
      } else if (policy === 'default' && contentKeys.has(key)) {
        result[key] = redacted
        redactions.push(innerPath)
      } else {
        result[key] = redactValue(inner, innerPath, policy, redactions)
      }
    }
    return result
  }
  if (typeof value === 'string' && secretValuePattern.test(value)) {
    redactions.push(path)
    return redacted
  }
  return value
}

function redactSecretText(text: string): string {
  return text.replace(/(bearer\s+)\S+/gi, `$1${redacted}`)
}

/** Headers worth keeping to understand a delivery: everything but credentials and cookies. */
export function headersWithoutCredentials(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {}
  headers.forEach((value, name) => {
    if (secretKeyPattern.test(name) || name === 'x-vapi-secret' || name === 'x-signature') return
    kept[name] = value.slice(0, 500)
  })
  return kept
}
