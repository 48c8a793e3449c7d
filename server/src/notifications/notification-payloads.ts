import { z } from 'zod'
import { adminAlertSchema } from '@dialtone/shared/admin-alerts'

/** One event of a number, as it was when the mail was queued (the outbox row keeps what the mail will say). */
export const mailEventSchema = z.object({
  kind: z.enum(['live', 'failed', 'stuck', 'released']),
  phoneNumberId: z.string(),
  number: z.string().nullable(),
  name: z.string().nullable(),
  areaCode: z.string(),
  failureCode: z.string().nullable(),
  failureReason: z.string().nullable(),
  at: z.string(),
})
export type MailEvent = z.infer<typeof mailEventSchema>

export const phoneNumberMailPayloadSchema = z.object({ events: z.array(mailEventSchema).min(1) })

export const adminAlertPayloadSchema = z.object({ change: z.enum(['opened', 'closed']), alert: adminAlertSchema })
export type AdminAlertPayload = z.infer<typeof adminAlertPayloadSchema>

export const invitationMailPayloadSchema = z.object({
  organizationName: z.string(),
  inviterName: z.string(),
  inviterEmail: z.string(),
  role: z.enum(['owner', 'admin', 'member']),
  acceptUrl: z.string(),
  expiresAt: z.string(),
})
export type InvitationMailPayload = z.infer<typeof invitationMailPayloadSchema>
