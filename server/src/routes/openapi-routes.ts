import { Hono } from 'hono'
import { buildOpenApiDocument } from '../openapi/openapi-document.ts'

/** `GET /api/openapi.json`: public, built once from the same zod schemas the routes validate with. */
export function openApiRoutes() {
  let document: ReturnType<typeof buildOpenApiDocument> | null = null
  return new Hono().get('/openapi.json', (c) => {
    document ??= buildOpenApiDocument()
    c.header('Cache-Control', 'public, max-age=300')
    return c.json(document)
  })
}
