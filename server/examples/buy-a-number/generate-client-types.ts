import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript'

/** Where the generated types live (committed; the example test regenerates them and fails on any difference). */
export const generatedTypesPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dialtone-api.ts')

/** The TypeScript types of dialtone's API, from the document a server serves at /api/openapi.json. */
export async function generateClientTypes(document: unknown): Promise<string> {
  const nodes = await openapiTS(document as OpenAPI3, { alphabetize: true })
  return astToString(nodes)
}

export async function fetchOpenApiDocument(baseUrl: string): Promise<unknown> {
  const response = await fetch(new URL('/api/openapi.json', baseUrl))
  if (!response.ok) throw new Error(`GET /api/openapi.json answered ${response.status}`)
  return response.json()
}

// pnpm --filter @dialtone/server generate:example-client [base URL, default http://localhost:3000]
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const baseUrl = process.argv[2] ?? 'http://localhost:3000'
  const types = await generateClientTypes(await fetchOpenApiDocument(baseUrl))
  await writeFile(generatedTypesPath, types)
  console.log(`wrote ${generatedTypesPath} from ${baseUrl}/api/openapi.json`)
}
