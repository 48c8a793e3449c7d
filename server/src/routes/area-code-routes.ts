import { Hono } from 'hono'
import { areaCodeSearchQuerySchema, type AreaCodeSearchResult } from '@dialtone/shared/area-codes'
import { validate } from '../http/validate.ts'
import type { AreaCodeDirectory } from '../area-codes/area-code-directory.ts'

export function areaCodeRoutes(directory: AreaCodeDirectory) {
  return new Hono().get('/', validate('query', areaCodeSearchQuerySchema), (c) => {
    const { q, limit } = c.req.valid('query')
    return c.json({ items: directory.search(q, limit) } satisfies AreaCodeSearchResult)
  })
}
