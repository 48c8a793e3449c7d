import { z } from 'zod/mini'
import { phoneNumberStatusSchema } from './phone-number.ts'
import type { AdminAlert } from './admin-alerts.ts'
import type { PhoneNumber } from './phone-number.ts'

export const socketEvents = {
  phoneNumberUpdated: 'phone-number:updated',
  provisioningStatsChanged: 'provisioning-stats:changed',
  adminAlertChanged: 'admin-alert:changed',
  phoneNumberActivity: 'phone-number:activity',
} as const

export interface ProvisioningStatsChange {
  organizationId: string
  phoneNumberId: string
  status: PhoneNumber['status']
  at: string
}

export interface ServerToClientEvents {
  /** To the organisation's room only, after the change is committed. */
  'phone-number:updated': (phoneNumber: PhoneNumber) => void
  /** To the platform admins' room only: a number of any organisation changed, so charts should refresh. */
  'provisioning-stats:changed': (change: ProvisioningStatsChange) => void
  /** To the platform admins' room only: an alert opened or closed. */
  'admin-alert:changed': (alert: AdminAlert) => void
  /** To the organisation's room only: a number's call activity changed (ringing, on a call, a call ended). */
  'phone-number:activity': (phoneNumber: PhoneNumber) => void
}

// The browser only listens; every change goes through the HTTP API so it is validated and authorised once.
export type ClientToServerEvents = Record<string, never>

/** ProvisioningStatsChange as a schema, for the OpenAPI description of the socket events. */
export const provisioningStatsChangeSchema = z.object({
  organizationId: z.string(),
  phoneNumberId: z.string(),
  status: phoneNumberStatusSchema,
  at: z.string(),
})
