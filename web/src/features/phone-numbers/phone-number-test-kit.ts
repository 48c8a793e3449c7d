import type { PhoneNumber } from '@dialtone/shared/phone-number'

/** A pending Vapi number with every field filled, for the web's unit tests; overrides win. */
export function samplePhoneNumber(overrides: Partial<PhoneNumber> = {}): PhoneNumber {
  const id = overrides.id ?? '00000000-0000-4000-8000-000000000001'
  const createdAt = overrides.createdAt ?? '2026-01-01T00:00:00.000Z'
  return {
    id,
    vapiPhoneNumberId: `vapi-${id}`,
    name: null,
    areaCode: '415',
    number: null,
    status: 'pending',
    failureReason: null,
    detectedBy: null,
    version: 1,
    createdAt,
    activatedAt: null,
    updatedAt: createdAt,
    assistant: null,
    provider: 'vapi',
    country: 'US',
    capabilities: { voice: true, sms: false, mms: false },
    activity: {
      state: 'idle',
      callStartedAt: null,
      lastCallAt: null,
      lastEndedReason: null,
      callsToday: 0,
      answeredFirstCallAt: null,
      failing: false,
    },
    ...overrides,
  }
}
