import { randomUUID } from 'node:crypto'
import { Validator } from '@seriousme/openapi-schema-validator'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsPlugin from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { grantPlatformAdmin } from '../auth/organization-repository.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { harnessSecrets, startSecurityHarness, type SecurityHarness } from '../../test/security/security-harness.ts'
import { apiOperations, undocumentedRoutes } from './api-operations.ts'
import { createTelnyxSandboxAccount, createTwilioSandboxAccount } from '../carriers/create-carrier-sandbox-account.ts'

const kind = testDatabaseKinds.at(-1) ?? 'pglite'
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020

type Document = Record<string, unknown> & {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: JsonContent }> }>>
  components: { responses: Record<string, { content?: JsonContent }> }
}
type JsonContent = { 'application/json'?: { schema: unknown }; 'text/csv'?: { schema: unknown } }

const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`
const honoPathToOpenApi = (path: string) => path.replace(/:(\w+)/g, '{$1}')

describe(`the OpenAPI description matches the API on ${kind}`, () => {
  let harness: SecurityHarness
  let document: Document
  let ajv: Ajv2020

  beforeAll(async () => {
    harness = await startSecurityHarness(kind, { env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } })
    const response = await fetch(`${harness.baseUrl}/api/openapi.json`)
    expect(response.status).toBe(200)
    document = (await response.json()) as Document
    ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }))
    // zod writes `.startsWith()` as format "starts_with" (with the pattern beside it, which ajv checks).
    ajv.addFormat('starts_with', true)
    ajv.addSchema(document, 'openapi.json')
  })
  afterAll(async () => {
    await harness.close()
  })

  test('is a valid OpenAPI 3.1 document (checked by @seriousme/openapi-schema-validator)', async () => {
    const result = await new Validator().validate(document)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
  })

  test('every route the app serves under /api is described, and every description is a route', () => {
    const served = new Set<string>()
    const wildcards: { methods: Set<string>; prefix: string }[] = []
    for (const route of harness.app.routes) {
      if (route.method === 'ALL' || !route.path.startsWith('/api/') || route.path === '/api/*') continue
      if (route.path.endsWith('/*')) {
        const prefix = route.path.slice(0, -1)
        const existing = wildcards.find((wildcard) => wildcard.prefix === prefix)
        if (existing) existing.methods.add(route.method)
        else wildcards.push({ prefix, methods: new Set([route.method]) })
        continue
      }
      served.add(routeKey(route.method, honoPathToOpenApi(route.path)))
    }
    const described = new Set<string>()
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of Object.keys(item)) described.add(routeKey(method, path))
    }
    const skipped = new Set(undocumentedRoutes.map((route) => routeKey(route.method, route.path)))
    const isUnderWildcard = (key: string) =>
      wildcards.some((wildcard) => {
        const [method, path] = key.split(' ')
        return path?.startsWith(wildcard.prefix) && wildcard.methods.has(method ?? '')
      })

    const servedButNotDescribed = [...served].filter((key) => !described.has(key) && !skipped.has(key))
    const describedButNotServed = [...described].filter((key) => !served.has(key) && !isUnderWildcard(key))
    const skippedButNotServed = [...skipped].filter((key) => !served.has(key))
    expect(servedButNotDescribed).toEqual([])
    expect(describedButNotServed).toEqual([])
    expect(skippedButNotServed).toEqual([])
    // Each wildcard (Better Auth's) is described by at least one of its contract paths.
    for (const wildcard of wildcards) {
      expect([...described].some((key) => key.split(' ')[1]?.startsWith(wildcard.prefix))).toBe(true)
    }
  })

  test('every documented route answers a sample request as described', async () => {
    const owner = await harness.signUp('Sampler')
    await grantPlatformAdmin(harness.db, owner.email)
    const keyResponse = await harness.request('/api/api-keys', {
      method: 'POST',
      cookie: owner.cookie,
      json: { name: 'sampler', scopes: ['numbers:read', 'numbers:write', 'settings:write'] },
    })
    const key = z.object({ id: z.string(), key: z.string() }).parse(await keyResponse.json())
    const asKey = (path: string, init: RequestInit & { json?: unknown } = {}) =>
      fetch(`${harness.baseUrl}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${key.key}`,
          ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
      })
    const asOwner = (path: string, init: RequestInit & { json?: unknown } = {}) =>
      harness.request(path, { ...init, cookie: owner.cookie })
    const idOf = async (response: Response) => z.object({ id: z.string() }).parse(await response.clone().json()).id

    const number = await idOf(await asKey('/api/phone-numbers', { method: 'POST', json: { areaCode: '415' } }))
    const endpoint = await idOf(
      await asKey('/api/webhook-endpoints', { method: 'POST', json: { url: 'http://127.0.0.1:9/hook' } }),
    )
    const someone = await harness.signUp('Leaver')
    const joiner = await harness.signUp('Joiner')
    const asJoiner = (path: string, init: RequestInit & { json?: unknown } = {}) =>
      harness.request(path, { ...init, cookie: joiner.cookie })
    let invitation = ''
    const joinerMemberId = async () => {
      const members = z.object({ items: z.array(z.object({ id: z.string(), email: z.string() })) })
      const listed = members.parse(await (await asOwner('/api/members')).json())
      return listed.items.find((member) => member.email === joiner.email)?.id ?? randomUUID()
    }

    /** One sample per operation, in an order where each finds what it needs. */
    const samples: Record<string, () => Promise<Response>> = {
      getOpenApiDocument: () => fetch(`${harness.baseUrl}/api/openapi.json`),
      getServerInfo: () => harness.request('/api/server-info'),
      signUp: () =>
        harness.request('/api/auth/sign-up/email', {
          method: 'POST',
          json: { name: 'New', email: `new-${randomUUID()}@example.com`, password: harnessSecrets.password },
        }),
      signIn: () =>
        harness.request('/api/auth/sign-in/email', {
          method: 'POST',
          json: { email: someone.email, password: harnessSecrets.password },
        }),
      getSession: () => asOwner('/api/auth/get-session'),
      searchAreaCodes: () => asKey('/api/area-codes?q=415'),
      listPhoneNumbers: () => asKey('/api/phone-numbers?limit=10'),
      createPhoneNumber: () => asKey('/api/phone-numbers', { method: 'POST', json: { areaCode: '212' } }),
      getProvisioningTiming: () => asKey('/api/phone-numbers/timing'),
      getMonthlyCost: () => asKey('/api/phone-numbers/monthly-cost'),
      refreshPendingPhoneNumbers: () => asKey('/api/phone-numbers/refresh', { method: 'POST' }),
      getPhoneNumber: () => asKey(`/api/phone-numbers/${number}`),
      refreshPhoneNumber: () => asKey(`/api/phone-numbers/${number}/refresh`, { method: 'POST' }),
      updatePhoneNumber: () => asKey(`/api/phone-numbers/${number}`, { method: 'PATCH', json: { name: 'Front desk' } }),
      listAssistants: () => asKey('/api/assistants'),
      getVapiConnection: () => asKey('/api/connections/vapi'),
      getTwilioConnection: () => asKey('/api/connections/twilio'),
      getTelnyxConnection: () => asKey('/api/connections/telnyx'),
      searchAvailableNumbers: () => asKey('/api/available-numbers?carrier=twilio&country=US&contains=55'),
      listCarrierNumbers: () => asKey('/api/carrier-numbers?carrier=twilio'),
      importCarrierNumbers: () =>
        asKey('/api/phone-numbers/import', { method: 'POST', json: { carrier: 'twilio', numbers: ['+15005550006'] } }),
      releasePhoneNumber: () => asKey(`/api/phone-numbers/${number}`, { method: 'DELETE' }),
      listWebhookEndpoints: () => asKey('/api/webhook-endpoints'),
      createWebhookEndpoint: () =>
        asKey('/api/webhook-endpoints', { method: 'POST', json: { url: 'http://127.0.0.1:9/other' } }),
      rotateWebhookEndpointSecret: () => asKey(`/api/webhook-endpoints/${endpoint}/rotate-secret`, { method: 'POST' }),
      listWebhookDeliveries: () => asKey(`/api/webhook-endpoints/${endpoint}/deliveries?limit=5`),
      recoverWebhookDeliveries: () =>
        asKey(`/api/webhook-endpoints/${endpoint}/recover`, {
          method: 'POST',
          json: { since: '2026-01-01T00:00:00Z' },
        }),
      retryWebhookDelivery: async () => {
        const deliveries = await (await asKey(`/api/webhook-endpoints/${endpoint}/deliveries`)).json()
        const first = z.object({ items: z.array(z.object({ id: z.string() })) }).parse(deliveries).items[0]
        return asKey(`/api/webhook-deliveries/${first?.id ?? randomUUID()}/retry`, { method: 'POST' })
      },
      deleteWebhookEndpoint: () => asKey(`/api/webhook-endpoints/${endpoint}`, { method: 'DELETE' }),
      listApiKeys: () => asOwner('/api/api-keys'),
      createApiKey: () =>
        asOwner('/api/api-keys', { method: 'POST', json: { name: 'another', scopes: ['numbers:read'] } }),
      revokeApiKey: async () => {
        const other = await asOwner('/api/api-keys', {
          method: 'POST',
          json: { name: 'gone', scopes: ['numbers:read'] },
        })
        return asOwner(`/api/api-keys/${await idOf(other)}`, { method: 'DELETE' })
      },
      listOrganizations: () => asOwner('/api/organizations'),
      inviteMember: () =>
        asOwner('/api/members', { method: 'POST', json: { email: `invited-${randomUUID()}@example.com` } }),
      createInvitation: async () => {
        const response = await asOwner('/api/invitations', {
          method: 'POST',
          json: { email: joiner.email, role: 'member' },
        })
        invitation = await idOf(response)
        return response
      },
      listMembers: () => asOwner('/api/members'),
      getInvitation: () => asJoiner(`/api/invitations/${invitation}`),
      acceptInvitation: () => asJoiner(`/api/invitations/${invitation}/accept`, { method: 'POST' }),
      updateMemberRole: async () =>
        asOwner(`/api/members/${await joinerMemberId()}`, { method: 'PATCH', json: { role: 'admin' } }),
      removeMember: async () => asOwner(`/api/members/${await joinerMemberId()}`, { method: 'DELETE' }),
      revokeInvitation: async () => {
        const other = await asOwner('/api/invitations', {
          method: 'POST',
          json: { email: `revoked-${randomUUID()}@example.com` },
        })
        return asOwner(`/api/invitations/${await idOf(other)}`, { method: 'DELETE' })
      },
      listAuditLog: () => asOwner('/api/audit-log?limit=5'),
      listWebhookLog: () => asKey(`/api/webhook-log?limit=5&phoneNumberId=${number}`),
      reprocessWebhookMessage: async () => {
        const vapiId = z
          .object({ vapiPhoneNumberId: z.string() })
          .parse(await (await asKey(`/api/phone-numbers/${number}`)).json()).vapiPhoneNumberId
        const rawBody = JSON.stringify({
          message: { type: 'phone-number-status-update', timestamp: Date.now(), phoneNumber: { id: vapiId } },
        })
        await fetch(`${harness.baseUrl}/webhooks/vapi`, {
          method: 'POST',
          headers: harness.signedHeaders(rawBody),
          body: rawBody,
        })
        const logged = z
          .object({ items: z.array(z.object({ id: z.string() })) })
          .parse(await (await asKey('/api/webhook-log?limit=1')).json()).items[0]
        return asKey(`/api/webhook-log/${logged?.id ?? randomUUID()}/reprocess`, { method: 'POST' })
      },
      reprocessWebhookMessagesSince: () =>
        asKey('/api/webhook-log/reprocess', { method: 'POST', json: { since: '2026-01-01T00:00:00Z' } }),
      listOrganizationAuditLogAsAdmin: () =>
        asOwner(`/api/admin/organization-audit-log?organizationId=${owner.organizationId}&limit=5`),
      getNotificationPreferences: () => asOwner('/api/notification-preferences'),
      updateNotificationPreferences: () =>
        asOwner('/api/notification-preferences', { method: 'PUT', json: { numberLive: false } }),
      listMail: () => asOwner('/api/mailbox'),
      getMail: () => asOwner(`/api/mailbox/${randomUUID()}`),
      getProvisioningStats: () => asOwner('/api/admin/provisioning-stats'),
      listAlertRules: () => asOwner('/api/admin/alert-rules'),
      updateAlertRules: () =>
        asOwner('/api/admin/alert-rules', {
          method: 'PUT',
          json: { rules: [{ kind: 'vapi_failing', enabled: true }] },
        }),
      listAdminAlerts: () => asOwner('/api/admin/alerts?status=open'),
      connectVapiAccount: () =>
        asKey('/api/connections/vapi', { method: 'PUT', json: { apiKey: `sandbox-${randomUUID()}` } }),
      disconnectVapiAccount: () => asKey('/api/connections/vapi', { method: 'DELETE' }),
      getCallStats: () => asOwner('/api/admin/call-stats'),
      getCallEventSettings: () => asKey('/api/call-events'),
      updateCallEventSettings: () =>
        asKey('/api/call-events', { method: 'PUT', json: { enabled: false, fallbackAssistantId: null } }),
      placeTestCall: async () => {
        const live = await idOf(await asKey('/api/phone-numbers', { method: 'POST', json: { areaCode: '537' } }))
        for (let tries = 0; tries < 100; tries++) {
          const shown = z.object({ status: z.string() }).parse(await (await asKey(`/api/phone-numbers/${live}`)).json())
          if (shown.status === 'active') break
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        return asKey(`/api/phone-numbers/${live}/test-call`, { method: 'POST', json: { durationMs: 0 } })
      },
      connectTwilioAccount: async () => {
        const account = await createTwilioSandboxAccount(harness.twilioBaseUrl, 'sampler')
        return asKey('/api/connections/twilio', {
          method: 'PUT',
          json: { accountSid: account.accountSid, apiKeySid: account.apiKeySid, apiKeySecret: account.apiKeySecret },
        })
      },
      disconnectTwilioAccount: () => asKey('/api/connections/twilio', { method: 'DELETE' }),
      connectTelnyxAccount: async () => {
        const account = await createTelnyxSandboxAccount(harness.telnyxBaseUrl, 'sampler')
        return asKey('/api/connections/telnyx', { method: 'PUT', json: { apiKey: account.apiKey } })
      },
      disconnectTelnyxAccount: () => asKey('/api/connections/telnyx', { method: 'DELETE' }),
      deleteOrganization: () => harness.request('/api/organization', { method: 'DELETE', cookie: someone.cookie }),
      signOut: () => harness.request('/api/auth/sign-out', { method: 'POST', cookie: someone.cookie, json: {} }),
    }
    expect(Object.keys(samples).sort()).toEqual(apiOperations.map((operation) => operation.operationId).sort())
    /** Second samples for operations that answer in another form too (the audit logs' CSV). */
    const moreSamples: [string, () => Promise<Response>][] = [
      ['listAuditLog', () => asOwner('/api/audit-log?format=csv&action=member.role-change')],
      ['listOrganizationAuditLogAsAdmin', () => asOwner('/api/admin/organization-audit-log?format=csv')],
    ]
    const csvRows: string[] = []

    const problems: string[] = []
    const failures: string[] = []
    for (const [operationId, send] of [...Object.entries(samples), ...moreSamples]) {
      const operation = apiOperations.find((candidate) => candidate.operationId === operationId)
      if (!operation) throw new Error(`no operation ${operationId}`)
      const response = await send()
      const described = document.paths[operation.path]?.[operation.method]?.responses[String(response.status)]
      const text = await response.text()
      if (response.status >= 300) failures.push(`${operationId} ${response.status}`)
      if (!described) {
        problems.push(`${operationId}: answered ${response.status}, not documented (${text.slice(0, 200)})`)
        continue
      }
      const content = described.$ref
        ? document.components.responses[described.$ref.split('/').at(-1) ?? '']?.content
        : described.content
      const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim() ?? ''
      const schema = content?.[mediaType as keyof JsonContent]?.schema
      if (!schema) {
        if (text !== '' && !operationId.startsWith('getOpenApi')) {
          problems.push(`${operationId}: ${mediaType} body not described`)
        }
        continue
      }
      if (mediaType === 'text/csv') csvRows.push(...text.split('\r\n').filter(Boolean))
      const validate = ajv.compile({ $ref: `openapi.json#${pointerTo(document, schema)}` })
      if (!validate(mediaType === 'application/json' ? JSON.parse(text) : text)) {
        problems.push(`${operationId} ${response.status}: ${ajv.errorsText(validate.errors)}`)
      }
    }
    expect(problems).toEqual([])
    // The CSV samples carry the role change made above (the organisation's own log and the admins' view of it).
    expect(csvRows.filter((row) => row.includes('member.role-change') && row.includes(joiner.email))).toHaveLength(2)
    // Every sample succeeds but the one whose success needs mail this server never sent.
    expect(failures).toEqual(['getMail 404'])
  })
})

/** The JSON pointer of a schema object inside the document (ajv resolves its $refs from there). */
function pointerTo(root: unknown, target: unknown, path = ''): string {
  if (root === target) return path
  if (root && typeof root === 'object') {
    for (const [key, value] of Object.entries(root)) {
      const found = pointerTo(value, target, `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`)
      if (found !== '') return found
    }
  }
  return ''
}
