/** What the log shows of a Vapi message before (or whether or not) anything else reads it. Never throws. */
export function describeVapiMessage(rawBody: Uint8Array): {
  type: string | null
  callId: string | null
  vapiPhoneNumberId: string | null
} {
  let message: unknown
  try {
    message = field(JSON.parse(new TextDecoder().decode(rawBody)), 'message')
  } catch {
    return { type: null, callId: null, vapiPhoneNumberId: null }
  }
  const call = field(message, 'call')
  return {
    type: text(field(message, 'type')),
    callId: text(field(call, 'id')),
    vapiPhoneNumberId: text(field(field(message, 'phoneNumber'), 'id')) ?? text(field(call, 'phoneNumberId')),
  }
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && key in value ? Reflect.get(value, key) : null
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 200) : null
}
