import { z } from 'zod/mini'

export const areaCodeInfoSchema = z.object({
  areaCode: z.string(),
  state: z.string(),
  places: z.array(z.string()),
})
export type AreaCodeInfo = z.infer<typeof areaCodeInfoSchema>

export const suggestedAreaCodeSchema = z.extend(areaCodeInfoSchema, {
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
  q: z._default(z.string().check(z.trim(), z.maxLength(60)), ''),
  /** Instead of a search: codes to try instead of this one (same state first, then nearest), as after a refusal. */
  near: z.optional(z.string().check(z.trim(), z.maxLength(20))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50)), 10),
})

export const areaCodeSearchResultSchema = z.object({ items: z.array(areaCodeInfoSchema) })
export type AreaCodeSearchResult = z.infer<typeof areaCodeSearchResultSchema>

/**
 * The three digits of an area code however an owner writes it: "415", " (415) ", "+1 415", "+1 (415)", "1-415".
 * Anything else comes back unchanged (trimmed), for the schema to explain what is wrong with it.
 */
export function normalizeAreaCodeInput(text: string): string {
  const trimmed = text.trim()
  const match = /^(?:\+?1[\s.-]*)?\(?\s*(\d{3})\s*\)?$/.exec(trimmed)
  return match?.[1] ?? trimmed
}

/**
 * The digits of a search that is an area code or the start of one, written any of those ways ("(41", "+1 41");
 * undefined when the query is not digits (a place or a state).
 */
export function areaCodeDigitsOfQuery(text: string): string | undefined {
  const match = /^(?:\+1[\s.-]*|1[\s.-]+)?\(?\s*(\d{1,3})\s*\)?$/.exec(text.trim())
  return match?.[1]
}
