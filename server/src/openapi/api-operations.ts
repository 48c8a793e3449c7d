import {
  adminAlertListSchema,
  adminAlertsQuerySchema,
  alertRuleListSchema,
  alertRulesUpdateSchema,
} from '@dialtone/shared/admin-alerts'
import {
  apiKeyListSchema,
  apiKeySchema,
  apiKeyWithSecretSchema,
  createApiKeyRequestSchema,
} from '@dialtone/shared/api-keys'
import { adminAuditLogQuerySchema, auditLogQuerySchema, auditLogResponseSchema } from '@dialtone/shared/audit-log'
import { assistantListSchema } from '@dialtone/shared/assistants'
import { connectionSchema, putVapiConnectionRequestSchema } from '@dialtone/shared/connections'
import {
  availableNumberListSchema,
  availableNumbersQuerySchema,
  buyCarrierNumberRequestSchema,
  carrierNumberListSchema,
  carrierNumbersQuerySchema,
  importCarrierNumbersRequestSchema,
  importCarrierNumbersResultSchema,
  putTelnyxConnectionRequestSchema,
  putTwilioConnectionRequestSchema,
} from '@dialtone/shared/carriers'
import { areaCodeSearchQuerySchema, areaCodeSearchResultSchema } from '@dialtone/shared/area-codes'
import {
  mailDetailSchema,
  mailboxSchema,
  notificationPreferencesResponseSchema,
  notificationPreferencesUpdateSchema,
} from '@dialtone/shared/notifications'
import {
  createPhoneNumberRequestSchema,
  listPhoneNumbersQuerySchema,
  phoneNumberListSchema,
  phoneNumberSchema,
  monthlyCostSchema,
  provisioningTimingSchema,
  refreshAllResultSchema,
  updatePhoneNumberRequestSchema,
} from '@dialtone/shared/phone-number'
import {
  acceptInvitationResponseSchema,
  createInvitationRequestSchema,
  createdInvitationSchema,
  invitationPreviewSchema,
  membersResponseSchema,
  organizationsResponseSchema,
  updateMemberRequestSchema,
  updateMemberResponseSchema,
} from '@dialtone/shared/teams'
import { provisioningStatsQuerySchema, provisioningStatsSchema } from '@dialtone/shared/provisioning-stats'
import { serverInfoSchema } from '@dialtone/shared/server-info'
import {
  createWebhookEndpointRequestSchema,
  recoverWebhookDeliveriesRequestSchema,
  recoverWebhookDeliveriesResultSchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookEndpointListSchema,
  webhookEndpointWithSecretSchema,
} from '@dialtone/shared/webhook-endpoints'
import {
  reprocessResultSchema,
  reprocessSinceRequestSchema,
  reprocessSinceResultSchema,
  webhookLogQuerySchema,
  webhookLogResponseSchema,
} from '@dialtone/shared/webhook-log'
import {
  callEventSettingsSchema,
  putCallEventSettingsRequestSchema,
  testCallRequestSchema,
  testCallSchema,
} from '@dialtone/shared/call-events'
import { callStatsQuerySchema, callStatsSchema } from '@dialtone/shared/call-stats'
import { z } from 'zod'
import type { $ZodObject, $ZodType as ZodType } from 'zod/v4/core'
import { auditCsvHeader } from '../audit/audit-csv.ts'
import type { Permission } from '../auth/permissions.ts'
import {
  deletedOrganizationSchema,
  sessionSchema,
  signInRequestSchema,
  signUpRequestSchema,
  signedInSchema,
  signedOutSchema,
} from './auth-schemas.ts'

const auditCsvDescription = `RFC 4180 with CRLF line ends: a header row (${auditCsvHeader.join(', ')}), then one event per row, newest first; \`details\` is JSON.`

/** Who may call an operation: anyone, or a signed-in person (programs are decided by http/program-access.ts). */
export type OperationAccess = 'public' | 'signed-in' | 'platform-admin'

export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  /** OpenAPI style: `/api/phone-numbers/{id}`. */
  path: string
  operationId: string
  tag: string
  summary: string
  description?: string
  access: OperationAccess
  /** What requirePermission asks for on the route (a key's scope, or a person's role permission). */
  permission?: Permission
  query?: $ZodObject
  body?: ZodType
  headers?: { name: string; description: string }[]
  /** Success answers (`csv`: also answered as text/csv, described by it); error answers are added from what the operation can refuse (see openapi-document.ts). */
  responses: Record<number, { description: string; schema?: ZodType; csv?: string }>
  /** Errors beyond the usual ones: status → the codes that status carries here. */
  errors?: Record<number, string>
}

/**
 * Every route of the public API, named once. openapi-document.ts turns this into OpenAPI 3.1 with
 * z.toJSONSchema; openapi.test.ts fails when the app's routes and this list disagree, or when an answer does not
 * match what is written here.
 */
export const apiOperations: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'Meta',
    summary: 'This document',
    access: 'public',
    responses: { 200: { description: 'The OpenAPI 3.1 description of the API.' } },
  },
  {
    method: 'get',
    path: '/api/server-info',
    operationId: 'getServerInfo',
    tag: 'Meta',
    summary: 'What server this is: sandbox or live, version, provisioning deadline',
    access: 'public',
    responses: { 200: { description: 'Server information.', schema: serverInfoSchema } },
  },
  {
    method: 'post',
    path: '/api/auth/sign-up/email',
    operationId: 'signUp',
    tag: 'Accounts',
    summary: 'Create an account and its organisation; sets the session cookie',
    access: 'public',
    body: signUpRequestSchema,
    responses: { 200: { description: 'Signed up and signed in.', schema: signedInSchema } },
    errors: { 422: 'USER_ALREADY_EXISTS (Better Auth)' },
  },
  {
    method: 'post',
    path: '/api/auth/sign-in/email',
    operationId: 'signIn',
    tag: 'Accounts',
    summary: 'Sign in; sets the session cookie',
    access: 'public',
    body: signInRequestSchema,
    responses: { 200: { description: 'Signed in.', schema: signedInSchema } },
  },
  {
    method: 'post',
    path: '/api/auth/sign-out',
    operationId: 'signOut',
    tag: 'Accounts',
    summary: 'End the session',
    access: 'public',
    responses: { 200: { description: 'Signed out.', schema: signedOutSchema } },
  },
  {
    method: 'get',
    path: '/api/auth/get-session',
    operationId: 'getSession',
    tag: 'Accounts',
    summary: 'The session the cookie carries, or null',
    access: 'public',
    responses: { 200: { description: 'The session and its user, or null.', schema: sessionSchema } },
  },
  {
    method: 'get',
    path: '/api/area-codes',
    operationId: 'searchAreaCodes',
    tag: 'Area codes',
    summary: 'US area codes matching a code, state or place (or near one)',
    access: 'signed-in',
    permission: 'numbers:read',
    query: areaCodeSearchQuerySchema,
    responses: { 200: { description: 'Matching area codes.', schema: areaCodeSearchResultSchema } },
  },
  {
    method: 'get',
    path: '/api/phone-numbers',
    operationId: 'listPhoneNumbers',
    tag: 'Phone numbers',
    summary: 'The organisation’s phone numbers, newest first',
    access: 'signed-in',
    permission: 'numbers:read',
    query: listPhoneNumbersQuerySchema,
    responses: { 200: { description: 'A page of numbers.', schema: phoneNumberListSchema } },
  },
  {
    method: 'post',
    path: '/api/phone-numbers',
    operationId: 'createPhoneNumber',
    tag: 'Phone numbers',
    summary: 'Buy a number: in an area code from Vapi, or a chosen number from a carrier (costs money)',
    description:
      '`{ areaCode }`: answers at once with the number `pending`; it goes `active` when Vapi assigns it (told by ' +
      'webhook, socket event `phone-number:updated`, or seen by polling GET /api/phone-numbers/{id}). ' +
      '`{ carrier, number }`: bought at Twilio or Telnyx and imported into Vapi; a Twilio number is usually ' +
      '`active` in the answer, a Telnyx order `pending` until it completes. If Vapi refuses the import the number ' +
      'is released at the carrier (or kept, with `keepOnFailure`). Send an `Idempotency-Key` so a retried request ' +
      'never buys twice; a repeat answers the number as it is now.',
    access: 'signed-in',
    permission: 'numbers:write',
    body: z.union([createPhoneNumberRequestSchema, buyCarrierNumberRequestSchema]),
    headers: [{ name: 'Idempotency-Key', description: 'Up to 200 printable ASCII characters; repeats replay.' }],
    responses: { 201: { description: 'The new number, pending.', schema: phoneNumberSchema } },
    errors: {
      409: 'AREA_CODE_UNAVAILABLE (details.suggestedAreaCodes), NUMBER_UNAVAILABLE, CONNECTION_REQUIRED, CONFLICT',
      422: 'NUMBER_INVALID, ASSISTANT_NOT_FOUND',
      502: 'VAPI_REJECTED, VAPI_UNAUTHORIZED, CARRIER_UNAUTHORIZED',
      503: 'VAPI_UNAVAILABLE, VAPI_RATE_LIMITED, CARRIER_UNAVAILABLE, CARRIER_RATE_LIMITED (Retry-After)',
    },
  },
  {
    method: 'get',
    path: '/api/phone-numbers/timing',
    operationId: 'getProvisioningTiming',
    tag: 'Phone numbers',
    summary: 'How long numbers typically take to go live here',
    access: 'signed-in',
    permission: 'numbers:read',
    responses: { 200: { description: 'Median seconds to live.', schema: provisioningTimingSchema } },
  },
  {
    method: 'get',
    path: '/api/phone-numbers/monthly-cost',
    operationId: 'getMonthlyCost',
    tag: 'Phone numbers',
    summary: 'What the organisation’s numbers cost a month, per currency',
    description:
      'Summed over pending and live numbers whose carrier gave a price when they were bought or imported. ' +
      'Numbers without a known price are counted in `priceUnknown`, never added as 0; Vapi’s own numbers are free.',
    access: 'signed-in',
    permission: 'numbers:read',
    responses: { 200: { description: 'Totals per currency.', schema: monthlyCostSchema } },
  },
  {
    method: 'post',
    path: '/api/phone-numbers/refresh',
    operationId: 'refreshPendingPhoneNumbers',
    tag: 'Phone numbers',
    summary: 'Check every pending number at Vapi now',
    access: 'signed-in',
    permission: 'numbers:read',
    responses: { 200: { description: 'What the check found.', schema: refreshAllResultSchema } },
  },
  {
    method: 'get',
    path: '/api/phone-numbers/{id}',
    operationId: 'getPhoneNumber',
    tag: 'Phone numbers',
    summary: 'One number (another organisation’s id answers 404)',
    access: 'signed-in',
    permission: 'numbers:read',
    responses: { 200: { description: 'The number.', schema: phoneNumberSchema } },
  },
  {
    method: 'post',
    path: '/api/phone-numbers/{id}/refresh',
    operationId: 'refreshPhoneNumber',
    tag: 'Phone numbers',
    summary: 'Check one number at Vapi now',
    access: 'signed-in',
    permission: 'numbers:read',
    responses: { 200: { description: 'The number as Vapi has it now.', schema: phoneNumberSchema } },
    errors: { 502: 'VAPI_REJECTED, VAPI_UNAUTHORIZED', 503: 'VAPI_UNAVAILABLE, VAPI_RATE_LIMITED' },
  },
  {
    method: 'patch',
    path: '/api/phone-numbers/{id}',
    operationId: 'updatePhoneNumber',
    tag: 'Phone numbers',
    summary: 'Rename a number and/or choose the Vapi assistant that answers it (null: none)',
    access: 'signed-in',
    permission: 'numbers:write',
    body: updatePhoneNumberRequestSchema,
    responses: { 200: { description: 'The number, changed.', schema: phoneNumberSchema } },
    errors: {
      409: 'VAPI_ACCOUNT_DISCONNECTED: the Vapi account that bought it is no longer connected',
      422: 'ASSISTANT_NOT_FOUND: no such assistant in the organisation’s Vapi account; nothing changed',
      502: 'VAPI_REJECTED, VAPI_UNAUTHORIZED',
      503: 'VAPI_UNAVAILABLE, VAPI_RATE_LIMITED (Retry-After)',
    },
  },
  {
    method: 'get',
    path: '/api/assistants',
    operationId: 'listAssistants',
    tag: 'Vapi account',
    summary: 'The assistants in the organisation’s Vapi account (to answer its numbers)',
    access: 'signed-in',
    errors: {
      409: 'CONNECTION_REQUIRED (no Vapi account connected), VAPI_ACCOUNT_DISCONNECTED',
      502: 'VAPI_REJECTED, VAPI_UNAUTHORIZED',
      503: 'VAPI_UNAVAILABLE, VAPI_RATE_LIMITED (Retry-After)',
    },
    responses: { 200: { description: 'Assistants.', schema: assistantListSchema } },
  },
  {
    method: 'get',
    path: '/api/connections/vapi',
    operationId: 'getVapiConnection',
    tag: 'Vapi account',
    summary: 'Which Vapi account the organisation uses (its own, the deployment’s, or the sandbox); never the key',
    access: 'signed-in',
    responses: { 200: { description: 'The connection.', schema: connectionSchema } },
  },
  {
    method: 'put',
    path: '/api/connections/vapi',
    operationId: 'connectVapiAccount',
    tag: 'Vapi account',
    summary: 'Connect the organisation’s own Vapi account with a private key (checked at Vapi first)',
    description: 'The key is encrypted at rest and never returned; the answer shows its last four characters.',
    access: 'signed-in',
    permission: 'settings:write',
    body: putVapiConnectionRequestSchema,
    responses: { 200: { description: 'The connection.', schema: connectionSchema } },
    errors: {
      422: 'CONNECTION_INVALID: Vapi refused the key; nothing was saved',
      503: 'VAPI_UNAVAILABLE, VAPI_RATE_LIMITED (Retry-After)',
    },
  },
  {
    method: 'delete',
    path: '/api/connections/vapi',
    operationId: 'disconnectVapiAccount',
    tag: 'Vapi account',
    summary: 'Forget the organisation’s own Vapi key',
    access: 'signed-in',
    permission: 'settings:write',
    responses: { 200: { description: 'The connection as it is now.', schema: connectionSchema } },
  },
  {
    method: 'delete',
    path: '/api/phone-numbers/{id}',
    operationId: 'releasePhoneNumber',
    tag: 'Phone numbers',
    summary: 'Release a number at Vapi (and at its carrier, if dialtone bought it there)',
    access: 'signed-in',
    permission: 'numbers:write',
    responses: { 200: { description: 'The number, released.', schema: phoneNumberSchema } },
    errors: { 502: 'VAPI_REJECTED, VAPI_UNAUTHORIZED', 503: 'VAPI_UNAVAILABLE, VAPI_RATE_LIMITED' },
  },
  {
    method: 'get',
    path: '/api/webhook-endpoints',
    operationId: 'listWebhookEndpoints',
    tag: 'Webhook endpoints',
    summary: 'Where dialtone posts the organisation’s events',
    access: 'signed-in',
    permission: 'settings:write',
    responses: { 200: { description: 'The endpoints (never their secrets).', schema: webhookEndpointListSchema } },
  },
  {
    method: 'post',
    path: '/api/webhook-endpoints',
    operationId: 'createWebhookEndpoint',
    tag: 'Webhook endpoints',
    summary: 'Add an endpoint; the answer alone carries its signing secret',
    access: 'signed-in',
    permission: 'settings:write',
    body: createWebhookEndpointRequestSchema,
    responses: { 201: { description: 'The endpoint with `secret`.', schema: webhookEndpointWithSecretSchema } },
  },
  {
    method: 'delete',
    path: '/api/webhook-endpoints/{id}',
    operationId: 'deleteWebhookEndpoint',
    tag: 'Webhook endpoints',
    summary: 'Remove an endpoint',
    access: 'signed-in',
    permission: 'settings:write',
    responses: { 204: { description: 'Removed.' } },
  },
  {
    method: 'post',
    path: '/api/webhook-endpoints/{id}/rotate-secret',
    operationId: 'rotateWebhookEndpointSecret',
    tag: 'Webhook endpoints',
    summary: 'A new signing secret (the old one keeps signing for a while)',
    access: 'signed-in',
    permission: 'settings:write',
    responses: { 200: { description: 'The endpoint with its new `secret`.', schema: webhookEndpointWithSecretSchema } },
  },
  {
    method: 'get',
    path: '/api/webhook-endpoints/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    tag: 'Webhook endpoints',
    summary: 'Recent deliveries to an endpoint with every attempt',
    access: 'signed-in',
    permission: 'settings:write',
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    responses: { 200: { description: 'Deliveries, newest first.', schema: webhookDeliveryListSchema } },
  },
  {
    method: 'post',
    path: '/api/webhook-endpoints/{id}/recover',
    operationId: 'recoverWebhookDeliveries',
    tag: 'Webhook endpoints',
    summary: 'Send again every delivery that failed since a time',
    access: 'signed-in',
    permission: 'settings:write',
    body: recoverWebhookDeliveriesRequestSchema,
    responses: { 200: { description: 'How many were queued again.', schema: recoverWebhookDeliveriesResultSchema } },
  },
  {
    method: 'post',
    path: '/api/webhook-deliveries/{id}/retry',
    operationId: 'retryWebhookDelivery',
    tag: 'Webhook endpoints',
    summary: 'Send one delivery again',
    access: 'signed-in',
    permission: 'settings:write',
    responses: { 202: { description: 'Queued again.', schema: webhookDeliverySchema } },
  },
  {
    method: 'get',
    path: '/api/api-keys',
    operationId: 'listApiKeys',
    tag: 'API keys',
    summary: 'The organisation’s API keys (never the keys themselves)',
    access: 'signed-in',
    permission: 'api-keys:manage',
    responses: { 200: { description: 'Keys, newest first, revoked ones included.', schema: apiKeyListSchema } },
  },
  {
    method: 'post',
    path: '/api/api-keys',
    operationId: 'createApiKey',
    tag: 'API keys',
    summary: 'Make a key; the answer alone carries it, as `key`',
    description: 'Scopes beyond what your role allows are refused with 403.',
    access: 'signed-in',
    permission: 'api-keys:manage',
    body: createApiKeyRequestSchema,
    responses: { 201: { description: 'The key, shown this once.', schema: apiKeyWithSecretSchema } },
  },
  {
    method: 'delete',
    path: '/api/api-keys/{id}',
    operationId: 'revokeApiKey',
    tag: 'API keys',
    summary: 'Revoke a key: its next request is refused and its sockets end',
    access: 'signed-in',
    permission: 'api-keys:manage',
    responses: { 200: { description: 'The key, revoked.', schema: apiKeySchema } },
  },
  {
    method: 'delete',
    path: '/api/organization',
    operationId: 'deleteOrganization',
    tag: 'Organisation',
    summary: 'Delete the organisation (its owner only; refused while it holds numbers)',
    access: 'signed-in',
    permission: 'settings:write',
    responses: { 200: { description: 'Deleted.', schema: deletedOrganizationSchema } },
    errors: { 409: 'ORGANIZATION_HAS_NUMBERS' },
  },
  {
    method: 'get',
    path: '/api/organizations',
    operationId: 'listOrganizations',
    tag: 'Organisation',
    summary: 'The organisations you belong to, with your role in each, and which one you act for',
    description: 'Switch with POST /api/auth/organization/set-active (the web app’s organisation switcher).',
    access: 'signed-in',
    responses: { 200: { description: 'Your organisations.', schema: organizationsResponseSchema } },
  },
  {
    method: 'get',
    path: '/api/members',
    operationId: 'listMembers',
    tag: 'Members',
    summary: 'The organisation’s members, your role and permissions, and (for owners) its open invitations',
    access: 'signed-in',
    responses: {
      200: {
        description: 'Members; `invitations` is empty unless you hold `members:manage`.',
        schema: membersResponseSchema,
      },
    },
  },
  {
    method: 'post',
    path: '/api/members',
    operationId: 'inviteMember',
    tag: 'Members',
    summary: 'Invite someone by email (the same as POST /api/invitations: a member joins by accepting)',
    access: 'signed-in',
    permission: 'members:manage',
    body: createInvitationRequestSchema,
    responses: { 201: { description: 'The invitation, with its link.', schema: createdInvitationSchema } },
    errors: { 409: 'CONFLICT: that email is already a member of this organisation' },
  },
  {
    method: 'patch',
    path: '/api/members/{id}',
    operationId: 'updateMemberRole',
    tag: 'Members',
    summary: 'Change a member’s role (applies to their next request; their sockets reconnect under it)',
    access: 'signed-in',
    permission: 'members:manage',
    body: updateMemberRequestSchema,
    responses: { 200: { description: 'The member’s new role.', schema: updateMemberResponseSchema } },
    errors: { 409: 'LAST_OWNER: the organisation’s last owner cannot be demoted' },
  },
  {
    method: 'delete',
    path: '/api/members/{id}',
    operationId: 'removeMember',
    tag: 'Members',
    summary: 'Remove a member, or leave (your own member id); their sockets end at once',
    description: 'Anyone may leave; removing someone else needs `members:manage`.',
    access: 'signed-in',
    responses: { 204: { description: 'Removed.' } },
    errors: {
      403: 'FORBIDDEN: removing someone else needs `members:manage` (`details.required`), or API keys (`details.reason`)',
      409: 'LAST_OWNER: the organisation’s last owner cannot leave or be removed',
    },
  },
  {
    method: 'post',
    path: '/api/invitations',
    operationId: 'createInvitation',
    tag: 'Invitations',
    summary: 'Invite someone by email; the link works for 7 days, and a new invitation replaces an open one',
    access: 'signed-in',
    permission: 'members:manage',
    body: createInvitationRequestSchema,
    responses: { 201: { description: 'The invitation, with its link.', schema: createdInvitationSchema } },
    errors: { 409: 'CONFLICT: that email is already a member of this organisation' },
  },
  {
    method: 'get',
    path: '/api/invitations/{id}',
    operationId: 'getInvitation',
    tag: 'Invitations',
    summary: 'What an invitation offers, before accepting it (the id is the secret in the link)',
    access: 'signed-in',
    responses: { 200: { description: 'The invitation.', schema: invitationPreviewSchema } },
  },
  {
    method: 'post',
    path: '/api/invitations/{id}/accept',
    operationId: 'acceptInvitation',
    tag: 'Invitations',
    summary: 'Join the organisation (signed in with the invited email)',
    access: 'signed-in',
    responses: {
      200: { description: 'The organisation joined and your role.', schema: acceptInvitationResponseSchema },
    },
    errors: {
      403: 'INVITATION_FOR_ANOTHER_EMAIL (sign in with the invited address), or FORBIDDEN for API keys',
      410: 'INVITATION_EXPIRED: ask for a new one',
    },
  },
  {
    method: 'delete',
    path: '/api/invitations/{id}',
    operationId: 'revokeInvitation',
    tag: 'Invitations',
    summary: 'Revoke an open invitation: its link stops working',
    access: 'signed-in',
    permission: 'members:manage',
    responses: { 204: { description: 'Revoked.' } },
  },
  {
    method: 'get',
    path: '/api/audit-log',
    operationId: 'listAuditLog',
    tag: 'Audit log',
    summary: 'Who did what in the organisation, newest first; format=csv exports every match',
    description:
      'Page with `cursor` (the previous answer’s `nextCursor`). With `format=csv` the answer is `text/csv` ' +
      '(at most 50,000 events, the newest that match, from before `cursor` if given; `limit` does not apply).',
    access: 'signed-in',
    permission: 'settings:write',
    query: auditLogQuerySchema,
    responses: {
      200: {
        description: 'A page of events (JSON), or all matching events (CSV).',
        schema: auditLogResponseSchema,
        csv: auditCsvDescription,
      },
    },
  },
  {
    method: 'get',
    path: '/api/notification-preferences',
    operationId: 'getNotificationPreferences',
    tag: 'Notifications',
    summary: 'Your email preferences',
    access: 'signed-in',
    responses: { 200: { description: 'Preferences.', schema: notificationPreferencesResponseSchema } },
  },
  {
    method: 'put',
    path: '/api/notification-preferences',
    operationId: 'updateNotificationPreferences',
    tag: 'Notifications',
    summary: 'Change your email preferences',
    access: 'signed-in',
    body: notificationPreferencesUpdateSchema,
    responses: { 200: { description: 'Preferences.', schema: notificationPreferencesResponseSchema } },
  },
  {
    method: 'get',
    path: '/api/mailbox',
    operationId: 'listMail',
    tag: 'Notifications',
    summary: 'Mail sent to you (the sandbox mailbox, or the delivery log)',
    access: 'signed-in',
    responses: { 200: { description: 'Your mail.', schema: mailboxSchema } },
  },
  {
    method: 'get',
    path: '/api/mailbox/{id}',
    operationId: 'getMail',
    tag: 'Notifications',
    summary: 'One mail with its text and HTML',
    access: 'signed-in',
    responses: { 200: { description: 'The mail.', schema: mailDetailSchema } },
  },
  {
    method: 'get',
    path: '/api/admin/provisioning-stats',
    operationId: 'getProvisioningStats',
    tag: 'Platform admin',
    summary: 'Provisioning statistics across organisations',
    access: 'platform-admin',
    query: provisioningStatsQuerySchema,
    responses: { 200: { description: 'Statistics.', schema: provisioningStatsSchema } },
  },
  {
    method: 'get',
    path: '/api/admin/alert-rules',
    operationId: 'listAlertRules',
    tag: 'Platform admin',
    summary: 'Admin alert rules',
    access: 'platform-admin',
    responses: { 200: { description: 'Rules.', schema: alertRuleListSchema } },
  },
  {
    method: 'put',
    path: '/api/admin/alert-rules',
    operationId: 'updateAlertRules',
    tag: 'Platform admin',
    summary: 'Change admin alert rules',
    access: 'platform-admin',
    body: alertRulesUpdateSchema,
    responses: { 200: { description: 'Rules.', schema: alertRuleListSchema } },
  },
  {
    method: 'get',
    path: '/api/admin/alerts',
    operationId: 'listAdminAlerts',
    tag: 'Platform admin',
    summary: 'Open and closed admin alerts',
    access: 'platform-admin',
    query: adminAlertsQuerySchema,
    responses: { 200: { description: 'Alerts.', schema: adminAlertListSchema } },
  },
  {
    method: 'get',
    path: '/api/admin/organization-audit-log',
    operationId: 'listOrganizationAuditLogAsAdmin',
    tag: 'Platform admin',
    summary: 'Every organisation’s audit log (or one’s, with organizationId); format=csv exports it',
    access: 'platform-admin',
    query: adminAuditLogQuerySchema,
    responses: {
      200: {
        description: 'A page of events (JSON), or all matching events (CSV).',
        schema: auditLogResponseSchema,
        csv: auditCsvDescription,
      },
    },
  },
  {
    method: 'get',
    path: '/api/webhook-log',
    operationId: 'listWebhookLog',
    tag: 'Webhook log',
    summary: 'Messages dialtone received about the organisation’s numbers (Vapi, carriers), newest first',
    description:
      'Each received webhook with when, its type, the number and call it names, how its credentials checked out, ' +
      'what dialtone did (`outcome`, the HTTP status it answered), the relay’s status and latency, and the payload ' +
      'without credentials (and without transcripts, recordings and messages unless the server keeps call content). ' +
      'Filter with `type`, `outcome` (`refused`: every message that failed verification), `phoneNumberId`, `from`, ' +
      '`to`; page with `cursor`. Refused and unknown messages belong to no organisation: platform admins see them ' +
      'with `all=true` (others get 403). Messages are kept WEBHOOK_LOG_RETENTION_DAYS (14 by default).',
    access: 'signed-in',
    permission: 'numbers:read',
    query: webhookLogQuerySchema,
    responses: { 200: { description: 'A page of messages.', schema: webhookLogResponseSchema } },
  },
  {
    method: 'post',
    path: '/api/webhook-log/{id}/reprocess',
    operationId: 'reprocessWebhookMessage',
    tag: 'Webhook log',
    summary: 'Process one received message again through the same handling',
    description:
      'Idempotent: the handling de-duplicates on the message’s delivery id, so a message that was applied answers ' +
      '`duplicate` and changes nothing; one that failed the first time (the database away) is applied now. Only ' +
      'verified messages (409 CONFLICT otherwise). Recorded in the audit log.',
    access: 'signed-in',
    permission: 'settings:write',
    responses: { 200: { description: 'What the handling answered.', schema: reprocessResultSchema } },
    errors: { 409: 'CONFLICT' },
  },
  {
    method: 'post',
    path: '/api/webhook-log/reprocess',
    operationId: 'reprocessWebhookMessagesSince',
    tag: 'Webhook log',
    summary: 'Process every verified message received since a time again, oldest first (at most 1,000 a request)',
    description:
      'Idempotent like one message’s reprocess. `continueFrom` is set when more matched: send it as `since`. ' +
      'Recorded in the audit log.',
    access: 'signed-in',
    permission: 'settings:write',
    body: reprocessSinceRequestSchema,
    responses: { 200: { description: 'How many, and their outcomes.', schema: reprocessSinceResultSchema } },
  },
  {
    method: 'get',
    path: '/api/call-events',
    operationId: 'getCallEventSettings',
    tag: 'Call events',
    summary:
      'Whether dialtone receives the organisation’s call messages and where it relays them; never the credential',
    access: 'signed-in',
    permission: 'settings:write',
    responses: {
      200: {
        description: 'The settings (the credential as its type and last four characters).',
        schema: callEventSettingsSchema,
      },
    },
  },
  {
    method: 'put',
    path: '/api/call-events',
    operationId: 'updateCallEventSettings',
    tag: 'Call events',
    summary: 'Turn call events on or off, and set the organisation’s server, its credential and the fallback assistant',
    description:
      'Turning on sets server.url on the organisation’s numbers at Vapi to dialtone’s webhook, remembering each number’s previous server; turning off restores it. Messages Vapi waits on (assistant-request, tool-calls, transfer-destination-request, …) are forwarded at once and the answer returned unchanged, or the fallback when the server fails or is slow; others are stored and forwarded in order per call. forwardAuth left out keeps the stored credential; null forgets it. The forward URL must resolve to a public address unless WEBHOOK_ALLOW_PRIVATE_URLS is set.',
    access: 'signed-in',
    permission: 'settings:write',
    body: putCallEventSettingsRequestSchema,
    responses: { 200: { description: 'The settings as they are now.', schema: callEventSettingsSchema } },
    errors: {
      502: 'VAPI_REJECTED, VAPI_UNAUTHORIZED (numbers already changed are remembered)',
      503: 'VAPI_UNAVAILABLE, VAPI_RATE_LIMITED',
    },
  },
  ...carrierConnectionOperations('twilio', putTwilioConnectionRequestSchema),
  ...carrierConnectionOperations('telnyx', putTelnyxConnectionRequestSchema),
  {
    method: 'get',
    path: '/api/available-numbers',
    operationId: 'searchAvailableNumbers',
    tag: 'Carrier numbers',
    summary: 'Numbers a carrier (Twilio, Telnyx) offers: by country, type, area code, digits or letters, place',
    description:
      'One page of the carrier’s inventory in the organisation’s connected account (its sandbox account in sandbox ' +
      'mode). `contains` takes digits, letters (keypad: PIZZA is 74992) and `*` for any digit. Pass `nextPage` back ' +
      'as `page`, with the same filters, for the next page. `monthlyPrice` is there when the carrier says it.',
    access: 'signed-in',
    permission: 'numbers:read',
    query: availableNumbersQuerySchema,
    responses: { 200: { description: 'A page of available numbers.', schema: availableNumberListSchema } },
    errors: {
      409: 'CONNECTION_REQUIRED: connect the carrier first',
      502: 'CARRIER_UNAUTHORIZED',
      503: 'CARRIER_UNAVAILABLE, CARRIER_RATE_LIMITED (Retry-After)',
    },
  },
  {
    method: 'get',
    path: '/api/carrier-numbers',
    operationId: 'listCarrierNumbers',
    tag: 'Carrier numbers',
    summary: 'Numbers the organisation’s carrier account holds, marked when dialtone already has them',
    access: 'signed-in',
    permission: 'numbers:read',
    query: carrierNumbersQuerySchema,
    responses: { 200: { description: 'The carrier account’s numbers.', schema: carrierNumberListSchema } },
    errors: {
      409: 'CONNECTION_REQUIRED',
      502: 'CARRIER_UNAUTHORIZED',
      503: 'CARRIER_UNAVAILABLE, CARRIER_RATE_LIMITED (Retry-After)',
    },
  },
  {
    method: 'post',
    path: '/api/phone-numbers/{id}/test-call',
    operationId: 'placeTestCall',
    tag: 'Phone numbers',
    summary: 'Sandbox mode only: ring a live number, with Vapi’s call messages, so its card shows the call',
    description: 'Answers 404 outside sandbox mode (see canPlaceTestCalls in /api/server-info).',
    access: 'signed-in',
    permission: 'numbers:write',
    body: testCallRequestSchema,
    responses: { 202: { description: 'The call is placed; the sandbox runs it.', schema: testCallSchema } },
    errors: { 409: 'CONFLICT: the number is not live' },
  },
  {
    method: 'get',
    path: '/api/admin/call-stats',
    operationId: 'getCallStats',
    tag: 'Platform admin',
    summary: 'Calls per number and the share of numbers that answered a call within an hour of going live',
    description: 'Numbers that went live in [from, to) (default: the last 30 days), most calls first.',
    access: 'platform-admin',
    query: callStatsQuerySchema,
    responses: { 200: { description: 'The statistics.', schema: callStatsSchema } },
  },
  {
    method: 'post',
    path: '/api/phone-numbers/import',
    operationId: 'importCarrierNumbers',
    tag: 'Carrier numbers',
    summary: 'Bring numbers the organisation already has at a carrier into Vapi, live at once',
    description:
      'Each number is imported on its own: `items` says, per number, `imported` (with its PhoneNumber) or `failed` ' +
      '(with the error; nothing changed for that number). A refused import leaves the number at the carrier.',
    access: 'signed-in',
    permission: 'numbers:write',
    body: importCarrierNumbersRequestSchema,
    responses: { 200: { description: 'What happened to each number.', schema: importCarrierNumbersResultSchema } },
    errors: {
      409: 'CONNECTION_REQUIRED',
      502: 'CARRIER_UNAUTHORIZED',
      503: 'CARRIER_UNAVAILABLE, CARRIER_RATE_LIMITED (Retry-After)',
    },
  },
]

/**
 * Routes the app serves under /api that the document leaves out on purpose, with why. openapi.test.ts fails on
 * any other route the document does not name.
 */
export const undocumentedRoutes: readonly { method: string; path: string; reason: string }[] = [
  { method: 'get', path: '/api/admin/users', reason: 'account administration: platform operators only' },
  { method: 'post', path: '/api/admin/users/{id}/ban', reason: 'account administration: platform operators only' },
  { method: 'post', path: '/api/admin/users/{id}/unban', reason: 'account administration: platform operators only' },
  {
    method: 'put',
    path: '/api/admin/users/{id}/platform-admin',
    reason: 'account administration: platform operators only',
  },
  {
    method: 'delete',
    path: '/api/admin/users/{id}/platform-admin',
    reason: 'account administration: platform operators only',
  },
  { method: 'get', path: '/api/admin/audit-log', reason: 'account administration: platform operators only' },
]

/** GET/PUT/DELETE /api/connections/twilio|telnyx: the organisation's carrier account. */
function carrierConnectionOperations(carrier: 'twilio' | 'telnyx', body: ZodType): ApiOperation[] {
  const label = carrier === 'twilio' ? 'Twilio' : 'Telnyx'
  return [
    {
      method: 'get',
      path: `/api/connections/${carrier}`,
      operationId: `get${label}Connection`,
      tag: 'Carrier accounts',
      summary: `Which ${label} account the organisation uses (its own, or its sandbox account); never the credentials`,
      access: 'signed-in',
      responses: { 200: { description: 'The connection.', schema: connectionSchema } },
    },
    {
      method: 'put',
      path: `/api/connections/${carrier}`,
      operationId: `connect${label}Account`,
      tag: 'Carrier accounts',
      summary: `Connect the organisation’s ${label} account (checked at ${label} first)`,
      description:
        carrier === 'twilio'
          ? 'The Account SID with an API key SID and secret (preferred), or with the auth token. Encrypted at rest, never returned.'
          : 'An API key, and optionally the account’s webhook public key (Ed25519) to verify its number-order webhooks. Encrypted at rest, never returned.',
      access: 'signed-in',
      permission: 'settings:write',
      body,
      responses: { 200: { description: 'The connection.', schema: connectionSchema } },
      errors: {
        422: `CONNECTION_INVALID: ${label} refused the credentials; nothing was saved`,
        503: 'CARRIER_UNAVAILABLE, CARRIER_RATE_LIMITED (Retry-After)',
      },
    },
    {
      method: 'delete',
      path: `/api/connections/${carrier}`,
      operationId: `disconnect${label}Account`,
      tag: 'Carrier accounts',
      summary: `Forget the organisation’s ${label} credentials`,
      access: 'signed-in',
      permission: 'settings:write',
      responses: { 200: { description: 'The connection as it is now.', schema: connectionSchema } },
    },
  ]
}
