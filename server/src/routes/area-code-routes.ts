import { Hono } from 'hono'
import { areaCodeSearchQuerySchema, type AreaCodeSearchResult } from '@dialtone/shared/area-codes'
import { validate } from '../http/validate.ts'
import type { AreaCodeDirectory } from '../area-codes/area-code-directory.ts'

export function areaCodeRoutes(directory: AreaCodeDirectory) {
  return new Hono().get('/', validate('query', areaCodeSearchQuerySchema), (c) => {
    const { q, near, limit } = c.req.valid('query')
    const items = near === undefined ? directory.search(q, limit) : directory.suggestAlternatives(near, [], limit)
    return c.json({ items } satisfies AreaCodeSearchResult)
  })
}
