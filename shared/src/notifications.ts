import { z } from 'zod/mini'

/** The events of their organisation's numbers a user may get by email, and (platform admins) alerts. */
export const notificationPreferencesSchema = z.object({
  numberLive: z.boolean(),
  numberFailed: z.boolean(),
  numberStuck: z.boolean(),
  numberReleased: z.boolean(),
  adminAlerts: z.boolean(),
})
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>

export const notificationPreferencesUpdateSchema = z
  .partial(z.strictObject(notificationPreferencesSchema.shape))
  .check(z.refine((update) => Object.keys(update).length > 0, 'Name at least one preference to change.'))
export type NotificationPreferencesUpdate = z.infer<typeof notificationPreferencesUpdateSchema>

/** How this server delivers mail: over SMTP, into the sandbox's local mailbox, or not at all (no SMTP_URL). */
export const mailDeliverySchema = z.enum(['smtp', 'mailbox', 'off'])
export type MailDelivery = z.infer<typeof mailDeliverySchema>

/** `GET/PUT /api/notification-preferences`. */
export const notificationPreferencesResponseSchema = z.extend(notificationPreferencesSchema, {
  email: z.string(),
  mailDelivery: mailDeliverySchema,
})
export type NotificationPreferencesResponse = z.infer<typeof notificationPreferencesResponseSchema>

export const outboxStatusSchema = z.enum(['queued', 'sending', 'sent', 'failed'])

export const mailSummarySchema = z.object({
  id: z.string(),
  recipient: z.string(),
  topic: z.enum(['phone-numbers', 'admin-alert', 'invitation']),
  subject: z.nullable(z.string()),
  status: outboxStatusSchema,
  attempts: z.int(),
  lastError: z.nullable(z.string()),
  deliveredVia: z.nullable(z.enum(['smtp', 'mailbox', 'http'])),
  createdAt: z.string(),
  sentAt: z.nullable(z.string()),
  nextAttemptAt: z.nullable(z.string()),
})
export type MailSummary = z.infer<typeof mailSummarySchema>

/** `GET /api/mailbox`: the viewer's own mail, newest first (the sandbox's mailbox, or the delivery log). */
export const mailboxSchema = z.object({ mailDelivery: mailDeliverySchema, items: z.array(mailSummarySchema) })
export type Mailbox = z.infer<typeof mailboxSchema>

/** `GET /api/mailbox/:id`: one mail as it was (or will be) sent. */
export const mailDetailSchema = z.extend(mailSummarySchema, {
  textBody: z.nullable(z.string()),
  htmlBody: z.nullable(z.string()),
})
export type MailDetail = z.infer<typeof mailDetailSchema>
