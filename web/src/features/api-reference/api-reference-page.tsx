import { useQuery } from '@tanstack/react-query'
import { z } from 'zod/mini'
import { requestJson } from '../../lib/request-json.ts'
import './api-reference.css'

// Only what this page shows is read from the document; everything else is left as it came.
const schemaSchema: z.ZodMiniType<JsonSchema> = z.lazy(() =>
  z.looseObject({
    $ref: z.optional(z.string()),
    type: z.optional(z.union([z.string(), z.array(z.string())])),
    format: z.optional(z.string()),
    enum: z.optional(z.array(z.unknown())),
    description: z.optional(z.string()),
    properties: z.optional(z.record(z.string(), schemaSchema)),
    required: z.optional(z.array(z.string())),
    items: z.optional(schemaSchema),
    anyOf: z.optional(z.array(schemaSchema)),
  }),
)
interface JsonSchema {
  $ref?: string | undefined
  type?: string | string[] | undefined
  format?: string | undefined
  enum?: unknown[] | undefined
  description?: string | undefined
  properties?: Record<string, JsonSchema> | undefined
  required?: string[] | undefined
  items?: JsonSchema | undefined
  anyOf?: JsonSchema[] | undefined
}
const contentSchema = z.optional(
  z.object({
    'application/json': z.optional(z.object({ schema: schemaSchema })),
    'text/csv': z.optional(z.object({ schema: schemaSchema })),
  }),
)
const operationSchema = z.object({
  operationId: z.string(),
  tags: z._default(z.array(z.string()), []),
  summary: z._default(z.string(), ''),
  description: z._default(z.string(), ''),
  'x-api-key-scope': z.optional(z.string()),
  parameters: z._default(
    z.array(
      z.object({ name: z.string(), in: z.string(), required: z._default(z.boolean(), false), schema: schemaSchema }),
    ),
    [],
  ),
  requestBody: z.optional(z.object({ content: contentSchema })),
  responses: z.record(
    z.string(),
    z.object({ $ref: z.optional(z.string()), description: z.optional(z.string()), content: contentSchema }),
  ),
})
const documentSchema = z.object({
  info: z.object({ title: z.string(), description: z._default(z.string(), '') }),
  paths: z.record(z.string(), z.record(z.string(), operationSchema)),
  components: z.object({
    schemas: z.record(z.string(), schemaSchema),
    responses: z._default(z.record(z.string(), z.object({ description: z.string() })), {}),
  }),
  webhooks: z._default(z.record(z.string(), z.object({ post: z.object({ summary: z._default(z.string(), '') }) })), {}),
  'x-socket-io': z.optional(
    z.object({
      description: z.string(),
      serverToClient: z.record(z.string(), z.object({ description: z.string(), payload: schemaSchema })),
    }),
  ),
})
type ApiDocument = z.infer<typeof documentSchema>
type Operation = z.infer<typeof operationSchema>

/** The document's descriptions mark code with backticks; shown as <code>, everything else as plain text. */
function Prose({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/(`[^`]+`)/)
        .map((part, index) =>
          part.startsWith('`') && part.endsWith('`') ? <code key={index}>{part.slice(1, -1)}</code> : part,
        )}
    </>
  )
}

const refName = (ref: string) => ref.split('/').at(-1) ?? ref

/** A schema in one line, the way a person reads it: `PhoneNumber`, `string | null`, `"a" | "b"`, `Key[]`. */
function typeOf(schema: JsonSchema): string {
  if (schema.$ref) return refName(schema.$ref)
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ')
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' | ')
  if (schema.type === 'array' && schema.items) return `${typeOf(schema.items)}[]`
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any')
  return schema.format ? `${type} (${schema.format})` : type
}

function Fields({ schema, document }: { schema: JsonSchema; document: ApiDocument }) {
  const resolved = schema.$ref ? document.components.schemas[refName(schema.$ref)] : schema
  if (!resolved?.properties) return <code>{typeOf(schema)}</code>
  const required = new Set(resolved.required ?? [])
  return (
    <table className="reference-fields">
      <tbody>
        {Object.entries(resolved.properties).map(([name, property]) => (
          <tr key={name}>
            <th scope="row">
              <code>{name}</code>
              {!required.has(name) && <span className="muted"> optional</span>}
            </th>
            <td>
              <code>{typeOf(property)}</code>
              {property.description && <span className="muted"> {property.description}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function OperationEntry({
  method,
  path,
  operation,
  document,
}: {
  method: string
  path: string
  operation: Operation
  document: ApiDocument
}) {
  const body = operation.requestBody?.content?.['application/json']?.schema
  return (
    <details className="panel reference-operation" id={operation.operationId}>
      <summary>
        <span className={`reference-method reference-method-${method}`}>{method.toUpperCase()}</span>
        <code className="reference-path">{path}</code>
        <span className="reference-summary">{operation.summary}</span>
        {operation['x-api-key-scope'] && (
          <span className="reference-scope" title="API keys with this scope may call it">
            key: {operation['x-api-key-scope']}
          </span>
        )}
      </summary>
      {operation.description &&
        operation.description.split('\n\n').map((paragraph) => (
          <p key={paragraph} className="reference-description">
            <Prose text={paragraph} />
          </p>
        ))}
      {operation.parameters.length > 0 && (
        <>
          <h4>Parameters</h4>
          <table className="reference-fields">
            <tbody>
              {operation.parameters.map((parameter) => (
                <tr key={`${parameter.in}-${parameter.name}`}>
                  <th scope="row">
                    <code>{parameter.name}</code> <span className="muted">{parameter.in}</span>
                    {!parameter.required && <span className="muted"> optional</span>}
                  </th>
                  <td>
                    <code>{typeOf(parameter.schema)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {body && (
        <>
          <h4>Body</h4>
          <Fields schema={body} document={document} />
        </>
      )}
      <h4>Answers</h4>
      <ul className="reference-responses">
        {Object.entries(operation.responses).map(([status, response]) => {
          const description = response.$ref
            ? document.components.responses[refName(response.$ref)]?.description
            : response.description
          const schema = response.content?.['application/json']?.schema
          const csv = response.content?.['text/csv']?.schema
          return (
            <li key={status}>
              <strong className={Number(status) < 400 ? 'reference-ok' : 'reference-error'}>{status}</strong>{' '}
              {description && <Prose text={description} />}
              {schema && Number(status) < 400 && <Fields schema={schema} document={document} />}
              {csv && (
                <p className="reference-description">
                  Or <code>text/csv</code>
                  {csv.description && (
                    <>
                      : <Prose text={csv.description} />
                    </>
                  )}
                </p>
              )}
            </li>
          )
        })}
      </ul>
    </details>
  )
}

/** dialtone's API, read from /api/openapi.json and laid out by tag: the same document programs generate from. */
export function ApiReferencePage() {
  const document = useQuery({
    queryKey: ['openapi-document'],
    queryFn: () => requestJson('/api/openapi.json', documentSchema),
    staleTime: Infinity,
  })
  if (document.isPending) {
    return (
      <main id="main" className="page page-loading" aria-busy="true">
        <span className="spinner" aria-hidden="true" /> Loading the API reference…
      </main>
    )
  }
  if (document.isError) {
    return (
      <main id="main" className="page">
        <p role="alert">{document.error.message}</p>
      </main>
    )
  }
  const doc = document.data
  const byTag = new Map<string, { method: string; path: string; operation: Operation }[]>()
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const tag = operation.tags[0] ?? 'Other'
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method, path, operation }])
    }
  }
  return (
    <main id="main" className="page reference-page">
      <h1>API reference</h1>
      <p>
        <Prose text={doc.info.description} />
      </p>
      <p className="muted">
        Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
      </p>
      <nav aria-label="Sections" className="reference-toc">
        {[...byTag.keys()].map((tag) => (
          <a key={tag} href={`#tag-${tag.replace(/\W+/g, '-')}`}>
            {tag}
          </a>
        ))}
        <a href="#webhooks">Webhooks</a>
        <a href="#socket-events">Socket events</a>
      </nav>
      {[...byTag.entries()].map(([tag, entries]) => (
        <section key={tag} id={`tag-${tag.replace(/\W+/g, '-')}`} className="reference-section">
          <h2>{tag}</h2>
          {entries.map((entry) => (
            <OperationEntry key={`${entry.method} ${entry.path}`} {...entry} document={doc} />
          ))}
        </section>
      ))}
      <section id="webhooks" className="reference-section">
        <h2>Webhooks dialtone sends</h2>
        <p className="muted">
          Each is a POST of <code>WebhookPayload</code> to your endpoints, signed as Standard Webhooks.
        </p>
        <ul>
          {Object.entries(doc.webhooks).map(([type, webhook]) => (
            <li key={type}>
              <code>{type}</code>: {webhook.post.summary}
            </li>
          ))}
        </ul>
        {doc.components.schemas.WebhookPayload && (
          <Fields schema={doc.components.schemas.WebhookPayload} document={doc} />
        )}
      </section>
      {doc['x-socket-io'] && (
        <section id="socket-events" className="reference-section">
          <h2>Socket events</h2>
          <p>
            <Prose text={doc['x-socket-io'].description} />
          </p>
          <ul>
            {Object.entries(doc['x-socket-io'].serverToClient).map(([name, event]) => (
              <li key={name}>
                <code>{name}</code> with <code>{typeOf(event.payload)}</code>: <Prose text={event.description} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  )
}
