import { z } from 'zod'

export const areaCodeInfoSchema = z.object({
  areaCode: z.string(),
  state: z.string(),
  places: z.array(z.string()),
})
export type AreaCodeInfo = z.infer<typeof areaCodeInfoSchema>

export const suggestedAreaCodeSchema = areaCodeInfoSchema.extend({
  /** "vapi": named in Vapi's own hint; "nearby": dialtone's pick from the same state or the nearest codes. */
  source: z.enum(['vapi', 'nearby']),
})
export type SuggestedAreaCode = z.infer<typeof suggestedAreaCodeSchema>

export const areaCodeUnavailableDetailsSchema = z.object({
  areaCode: z.string(),
  suggestedAreaCodes: z.array(suggestedAreaCodeSchema),
})
export type AreaCodeUnavailableDetails = z.infer<typeof areaCodeUnavailableDetailsSchema>

export const areaCodeSearchQuerySchema = z.object({
  q: z.string().trim().max(60).default(''),
  limit: z.coerce.number().int().min(1).max(50).default(10),
})

export const areaCodeSearchResultSchema = z.object({ items: z.array(areaCodeInfoSchema) })
export type AreaCodeSearchResult = z.infer<typeof areaCodeSearchResultSchema>
