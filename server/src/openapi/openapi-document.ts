import { apiKeyScopeDescriptions } from '@dialtone/shared/api-keys'
import { errorBodySchema, errorCodes } from '@dialtone/shared/errors'
import { phoneNumberSchema } from '@dialtone/shared/phone-number'
import { provisioningStatsChangeSchema } from '@dialtone/shared/socket-events'
import { webhookEventTypes, webhookPayloadSchema } from '@dialtone/shared/webhook-endpoints'
import { adminAlertSchema } from '@dialtone/shared/admin-alerts'
import { z } from 'zod'
import type { $ZodType as ZodType } from 'zod/v4/core'
import { programScopeFor } from '../http/program-access.ts'
import { apiOperations, type ApiOperation } from './api-operations.ts'

type JsonObject = Record<string, unknown>

/** Names for the shared schemas; others are named after the operation that uses them. */
const knownNames = new Map<ZodType, string>([
  [phoneNumberSchema, 'PhoneNumber'],
  [errorBodySchema, 'ErrorBody'],
  [webhookPayloadSchema, 'WebhookPayload'],
  [provisioningStatsChangeSchema, 'ProvisioningStatsChange'],
  [adminAlertSchema, 'AdminAlert'],
])

const componentRef = (name: string) => ({ $ref: `#/components/schemas/${name}` })

function withoutSchemaKeywords(schema: JsonObject): JsonObject {
  const { $schema: _schema, $id: _id, ...rest } = schema
  return rest
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

const errorResponses = {
  BadRequest: 'VALIDATION_FAILED: the request is not valid; `details.issues` names each field.',
  Unauthenticated:
    'UNAUTHENTICATED (no session) or API_KEY_INVALID (`details.reason`: unknown, revoked, expired, creator-inactive).',
  Forbidden:
    'FORBIDDEN: the role or key lacks `details.required`, or the route is not for API keys (`details.reason`).',
  NotFound: 'NOT_FOUND: no such thing in your organisation (another organisation’s id answers the same).',
  RateLimited: 'RATE_LIMITED: too many requests; wait for `Retry-After` seconds.',
}

/**
 * The OpenAPI 3.1 document, built from apiOperations and the shared zod schemas (z.toJSONSchema): request bodies
 * as their input type, answers as their output type. Nothing in it is written by hand beside the schemas.
 */
export function buildOpenApiDocument() {
  const inputs = z.registry<{ id: string }>()
  const outputs = z.registry<{ id: string }>()
  const named = new Map<ZodType, string>(knownNames)
  const nameOf = (schema: ZodType, fallback: string) => {
    const name = named.get(schema) ?? fallback
    named.set(schema, name)
    return name
  }
  for (const [schema, name] of knownNames) outputs.add(schema, { id: name })

  const paths: Record<string, Record<string, JsonObject>> = {}
  for (const operation of apiOperations) {
    paths[operation.path] ??= {}
    const pathItem = paths[operation.path] ?? {}
    pathItem[operation.method] = describeOperation(operation, {
      input: (schema) => {
        const name = nameOf(schema, `${capitalised(operation.operationId)}Request`)
        if (!inputs.has(schema)) inputs.add(schema, { id: name })
        return componentRef(name)
      },
      output: (schema, status) => {
        const name = nameOf(schema, `${capitalised(operation.operationId)}Response${status === 200 ? '' : status}`)
        if (!outputs.has(schema)) outputs.add(schema, { id: name })
        return componentRef(name)
      },
    })
  }

  const uri = (id: string) => `#/components/schemas/${id}`
  const converted = {
    ...z.toJSONSchema(inputs, { uri, io: 'input', unrepresentable: 'any' }).schemas,
    ...z.toJSONSchema(outputs, { uri, io: 'output', unrepresentable: 'any' }).schemas,
  }
  const schemas = Object.fromEntries(
    Object.entries(converted)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, schema]) => [name, withoutSchemaKeywords(schema as JsonObject)]),
  )

  return {
    openapi: '3.1.0',
    info: {
      title: 'dialtone API',
      version: '1',
      description:
        'Buy Vapi phone numbers and watch them go live. Every route answers JSON (the audit log also CSV); errors are ' +
        '`{ "error": { "code", "message", "details"? } }`. Programs authenticate with an API key ' +
        '(`Authorization: Bearer dt_live_…`), made by an owner or admin on the API keys page; browsers with the ' +
        'session cookie. A key reaches only the routes marked with its scope (`x-api-key-scope`).',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(apiOperations.map((operation) => operation.tag))].map((name) => ({ name })),
    paths,
    webhooks: Object.fromEntries(
      webhookEventTypes.map((type) => [
        type,
        {
          post: {
            operationId: `webhook${type
              .split(/[.-]/)
              .map((part) => capitalised(part))
              .join('')}`,
            summary: `dialtone posts \`${type}\` to your endpoint`,
            description:
              'Signed as Standard Webhooks: headers `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>` ' +
              '(HMAC-SHA256 with the endpoint’s `whsec_` secret over `{id}.{timestamp}.{body}`). Answer 2xx within ' +
              '10 s; anything else is retried on a schedule.',
            parameters: ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => ({
              name,
              in: 'header',
              required: true,
              schema: { type: 'string' },
            })),
            requestBody: {
              required: true,
              content: { 'application/json': { schema: componentRef('WebhookPayload') } },
            },
            responses: { '200': { description: 'Received (any 2xx).' } },
          },
        },
      ]),
    ),
    components: {
      schemas,
      securitySchemes: {
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'dialtone.session_token',
          description: 'Set by sign-in; mutations must come from dialtone’s own origin (same-origin guard).',
        },
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'dt_live_… / dt_test_…',
          description:
            'An organisation’s API key. Scopes: ' +
            Object.entries(apiKeyScopeDescriptions)
              .map(([scope, text]) => `\`${scope}\`: ${text}`)
              .join(' ') +
            ' A request with this header is authenticated by it alone (a cookie beside it is ignored).',
        },
      },
      responses: Object.fromEntries(
        Object.entries(errorResponses).map(([name, description]) => [
          name,
          {
            description,
            ...(name === 'RateLimited'
              ? { headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } }
              : {}),
            content: { 'application/json': { schema: componentRef('ErrorBody') } },
          },
        ]),
      ),
    },
    'x-error-codes': errorCodes,
    'x-socket-io': {
      path: '/socket.io',
      description:
        'Socket.IO on the same port. Browsers authenticate with the session cookie; programs with their API key ' +
        '(`io(url, { auth: { token: key } })` or the Authorization header). A socket joins only its organisation’s ' +
        'room; a revoked key’s or ended session’s sockets are disconnected. Clients only listen.',
      serverToClient: {
        'phone-number:updated': {
          description: 'A number of your organisation changed (sent after the change is committed).',
          payload: componentRef('PhoneNumber'),
        },
        'provisioning-stats:changed': {
          description: 'Platform admins only: a number of any organisation changed.',
          payload: componentRef('ProvisioningStatsChange'),
        },
        'admin-alert:changed': {
          description: 'Platform admins only: an alert opened or closed.',
          payload: componentRef('AdminAlert'),
        },
      },
    },
  }
}

function describeOperation(
  operation: ApiOperation,
  refs: { input: (schema: ZodType) => JsonObject; output: (schema: ZodType, status: number) => JsonObject },
): JsonObject {
  const scope = operation.access === 'signed-in' ? programScopeFor(operation.method, operation.path) : null
  const parameters: JsonObject[] = []
  for (const name of operation.path.match(/\{(\w+)\}/g) ?? []) {
    parameters.push({ name: name.slice(1, -1), in: 'path', required: true, schema: { type: 'string' } })
  }
  if (operation.query) {
    const query = z.toJSONSchema(operation.query, { io: 'input', unrepresentable: 'any' }) as JsonObject
    const properties = (query.properties ?? {}) as Record<string, JsonObject>
    const required = new Set((query.required ?? []) as string[])
    for (const [name, schema] of Object.entries(properties)) {
      parameters.push({ name, in: 'query', required: required.has(name), schema })
    }
  }
  for (const header of operation.headers ?? []) {
    parameters.push({
      name: header.name,
      in: 'header',
      required: false,
      description: header.description,
      schema: { type: 'string' },
    })
  }

  const responses: Record<string, JsonObject> = {}
  for (const [status, response] of Object.entries(operation.responses)) {
    const content: JsonObject = {
      ...(response.schema ? { 'application/json': { schema: refs.output(response.schema, Number(status)) } } : {}),
      ...(response.csv ? { 'text/csv': { schema: { type: 'string', description: response.csv } } } : {}),
    }
    responses[status] = {
      description: response.description,
      ...(Object.keys(content).length > 0 ? { content } : {}),
    }
  }
  const errorRef = (name: keyof typeof errorResponses) => ({ $ref: `#/components/responses/${name}` })
  if (operation.body || operation.query) responses['400'] = errorRef('BadRequest')
  if (operation.access !== 'public') responses['401'] = errorRef('Unauthenticated')
  if (operation.access === 'platform-admin' || operation.permission || scope) responses['403'] = errorRef('Forbidden')
  if (operation.path.includes('{')) responses['404'] = errorRef('NotFound')
  if (scope || operation.operationId === 'createPhoneNumber') responses['429'] = errorRef('RateLimited')
  for (const [status, codes] of Object.entries(operation.errors ?? {})) {
    responses[status] = { description: codes, content: { 'application/json': { schema: componentRef('ErrorBody') } } }
  }

  const security =
    operation.access === 'public' ? [] : scope ? [{ sessionCookie: [] }, { apiKey: [scope] }] : [{ sessionCookie: [] }]
  const access =
    operation.access === 'public'
      ? 'Public.'
      : operation.access === 'platform-admin'
        ? 'Platform admins only.'
        : `${operation.permission ? `Needs \`${operation.permission}\`. ` : ''}${scope ? `API keys with \`${scope}\` may call it.` : 'People only (no API keys).'}`
  return {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    description: [operation.description, access].filter(Boolean).join('\n\n'),
    security,
    ...(scope ? { 'x-api-key-scope': scope } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: refs.input(operation.body) } } } }
      : {}),
    responses,
  }
}
