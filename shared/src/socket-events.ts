import type { PhoneNumber } from './phone-number.ts'

export const socketEvents = { phoneNumberUpdated: 'phone-number:updated' } as const

export interface ServerToClientEvents {
  'phone-number:updated': (phoneNumber: PhoneNumber) => void
}

// The browser only listens; every change goes through the HTTP API so it is validated and authorised once.
export type ClientToServerEvents = Record<string, never>

/** Payload the admin room receives alongside the organisation's event, so admin charts can refresh. */
export interface AdminServerToClientEvents extends ServerToClientEvents {
  'provisioning-stats:changed': (change: { organizationId: string; status: string; at: string }) => void
}
