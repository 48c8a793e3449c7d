import { z } from 'zod'
import { areaCodeDigitsOfQuery, type AreaCodeInfo, type SuggestedAreaCode } from '@dialtone/shared/area-codes'
import { invariant } from '../lib/app-error.ts'
import placeRecords from './area-code-places.json' with { type: 'json' }
import { stateNamesByCode } from './state-names.ts'
import areaCodeRecords from './us-area-codes.json' with { type: 'json' }

export interface AreaCodeDirectory {
  find(areaCode: string): AreaCodeInfo | undefined
  /**
   * Codes matching a query: a code or its start written any usual way ("41", "(415)", "+1 415"), a state code or
   * name ("CA", "california"), a place ("san fran", "Austin"), or a place and its state ("Portland, OR").
   * Case/accents-insensitive; best matches first: exact code, code prefix, state, exact place, place prefix, place
   * substring. Among place matches, the codes where that place covers the most exchanges come first (Seattle:
   * 206 before 425), and a code with its own data before an overlay that shares it (512 before 737). At most
   * `limit`. Empty query → [].
   */
  search(query: string, limit?: number): AreaCodeInfo[]
  /** Why no number can be bought in this code (undefined when it is an area code in service in the US). */
  describeNotInService(areaCode: string): string | undefined
  /** Alternatives to a code Vapi refused: Vapi's hint codes first (source 'vapi', in Vapi's order, only codes that exist in the directory, deduplicated), then nearby codes (source 'nearby'): same state first (by distance), then other states by distance. Never the refused code, never a duplicate. `count` total (default 6). When the refused code is unknown to the directory, "nearby" is measured from the first known hint code instead; with no known hint either, only the hints are returned. */
  suggestAlternatives(refusedAreaCode: string, vapiHintCodes: readonly string[], count?: number): SuggestedAreaCode[]
}

const areaCodeRecordSchema = z.object({
  areaCode: z.string().regex(/^[2-9]\d\d$/),
  state: z.string().refine((state) => Object.hasOwn(stateNamesByCode, state), 'unknown state code'),
  /** Comma-separated, as the source data has it. */
  places: z.string(),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
})
type AreaCodeRecord = z.infer<typeof areaCodeRecordSchema>

/** area-code-places.json, made by src/scripts/derive-area-code-places.ts from libphonenumber's geocoding data. */
const placeRecordsSchema = z.object({
  source: z.string(),
  codes: z.record(
    z.string(),
    z.object({
      /** [place, exchanges it covers], most exchanges first. */
      places: z.array(z.tuple([z.string(), z.number().int().positive()])),
      /** An overlay with no data of its own shares the places of this code. */
      sharesPlacesWith: z.string().optional(),
    }),
  ),
})
type PlaceRecords = z.infer<typeof placeRecordsSchema>

interface Place {
  name: string
  searchable: string
  /** How many of the code's exchanges serve this place: its share of the code. */
  exchanges: number
}

interface DirectoryEntry {
  areaCode: string
  state: string
  /** Most exchanges first: the main city leads. */
  places: Place[]
  isOverlay: boolean
  latitude: number
  longitude: number
  searchableStateName: string
}

const shownPlaceCount = 3

// Lower rank = better match; the order the interface promises.
// An exact place name ("Austin") is the best kind of place prefix, so it beats "Austintown".
const matchRank = { exactCode: 0, codePrefix: 1, state: 2, exactPlace: 3, placePrefix: 4, placeSubstring: 5 } as const
type MatchRank = (typeof matchRank)[keyof typeof matchRank]
interface Match {
  rank: MatchRank
  /** The place that matched, and how many exchanges it covers; none for code and state matches. */
  place?: Place
}

const defaultSearchLimit = 10
const defaultSuggestionCount = 6
// A state-name prefix shorter than this ("ne", "ca") is far more likely a state code or a place.
const minimumStateNamePrefixLength = 3
const earthRadiusKm = 6371

let directory: AreaCodeDirectory | undefined

/** The directory of US area codes bundled with the server; parsed and indexed on first use only. */
export function loadAreaCodeDirectory(): AreaCodeDirectory {
  directory ??= createAreaCodeDirectory(
    z.array(areaCodeRecordSchema).parse(areaCodeRecords),
    placeRecordsSchema.parse(placeRecords),
  )
  return directory
}

/**
 * The sandbox's magic codes (533 unavailable, 534 never assigned, 535 blocked, 536 a 500, 537 fast) are
 * accepted where the sandbox answers; against real Vapi only codes in service are.
 */
export function withSandboxAreaCodes(directory: AreaCodeDirectory): AreaCodeDirectory {
  return {
    ...directory,
    describeNotInService: (areaCode) =>
      /^53[3-7]$/.test(areaCode.trim()) ? undefined : directory.describeNotInService(areaCode),
  }
}

function createAreaCodeDirectory(records: readonly AreaCodeRecord[], placeData: PlaceRecords): AreaCodeDirectory {
  const entries: DirectoryEntry[] = records.map((record) => {
    const derived = placeData.codes[record.areaCode]
    // A code libphonenumber has no places for keeps the places of the original list, each counted once.
    const weightedPlaces: [string, number][] =
      derived?.places ??
      record.places
        .split(',')
        .map((place) => place.trim())
        .filter((place) => place !== '')
        .map((place) => [place, 1])
    return {
      areaCode: record.areaCode,
      state: record.state,
      places: weightedPlaces.map(([name, exchanges]) => ({ name, searchable: toSearchable(name), exchanges })),
      isOverlay: derived?.sharesPlacesWith !== undefined,
      latitude: record.lat,
      longitude: record.lon,
      searchableStateName: toSearchable(stateNamesByCode[record.state] ?? ''),
    }
  })
  const entriesByCode = new Map(entries.map((entry) => [entry.areaCode, entry]))
  invariant(entriesByCode.size === entries.length, 'area codes in us-area-codes.json are unique')

  return {
    find(areaCode) {
      const entry = entriesByCode.get(areaCode.trim())
      return entry && toInfo(entry)
    },

    search(query, limit = defaultSearchLimit) {
      if (!(limit >= 1)) return []
      const digits = areaCodeDigitsOfQuery(query)
      const { place, state } = digits === undefined ? splitTrailingState(toSearchable(query)) : { place: digits }
      if (place === '') return []
      return entries
        .flatMap((entry) => {
          if (state !== undefined && entry.state !== state) return []
          const match = matchEntry(entry, place)
          return match === undefined ? [] : [{ entry, match }]
        })
        .sort(
          (a, b) =>
            a.match.rank - b.match.rank ||
            (b.match.place?.exchanges ?? 0) - (a.match.place?.exchanges ?? 0) ||
            Number(a.entry.isOverlay) - Number(b.entry.isOverlay) ||
            a.entry.areaCode.localeCompare(b.entry.areaCode),
        )
        .slice(0, Math.floor(limit))
        .map(({ entry, match }) => toInfo(entry, match.place))
    },

    describeNotInService(areaCode) {
      const code = areaCode.trim()
      if (entriesByCode.has(code)) return undefined
      return `No area code ${code} is in service in the United States, so there is no number to buy there. Nothing was bought. Search by city or state to find a code that is.`
    },

    suggestAlternatives(refusedAreaCode, vapiHintCodes, count = defaultSuggestionCount) {
      const suggestions: SuggestedAreaCode[] = []
      const takenCodes = new Set([refusedAreaCode.trim()])
      const hintEntries = vapiHintCodes.flatMap((code) => entriesByCode.get(code.trim()) ?? [])

      for (const entry of hintEntries) {
        if (suggestions.length >= count) break
        if (takenCodes.has(entry.areaCode)) continue
        takenCodes.add(entry.areaCode)
        suggestions.push({ ...toInfo(entry), source: 'vapi' })
      }

      // Without a known refused code, Vapi's first usable hint is the best guess at where the caller wanted a number.
      const origin = entriesByCode.get(refusedAreaCode.trim()) ?? hintEntries[0]
      if (origin === undefined) return suggestions

      const nearby = entries
        .filter((entry) => !takenCodes.has(entry.areaCode))
        .map((entry) => ({ entry, isOtherState: entry.state !== origin.state, distanceKm: distanceKm(origin, entry) }))
        .sort(
          (a, b) =>
            Number(a.isOtherState) - Number(b.isOtherState) ||
            a.distanceKm - b.distanceKm ||
            a.entry.areaCode.localeCompare(b.entry.areaCode),
        )
      for (const { entry } of nearby) {
        if (suggestions.length >= count) break
        suggestions.push({ ...toInfo(entry), source: 'nearby' })
      }
      return suggestions
    },
  }
}

function matchEntry(entry: DirectoryEntry, query: string): Match | undefined {
  if (/^\d+$/.test(query)) {
    if (entry.areaCode === query) return { rank: matchRank.exactCode }
    return entry.areaCode.startsWith(query) ? { rank: matchRank.codePrefix } : undefined
  }
  if (
    query === entry.state.toLowerCase() ||
    (query.length >= minimumStateNamePrefixLength && entry.searchableStateName.startsWith(query))
  ) {
    return { rank: matchRank.state }
  }
  // Places are sorted by exchanges, so the first hit of each kind is the biggest place of that kind.
  const kinds = [
    [matchRank.exactPlace, (place: Place) => place.searchable === query],
    [matchRank.placePrefix, (place: Place) => place.searchable.startsWith(query)],
    [matchRank.placeSubstring, (place: Place) => place.searchable.includes(query)],
  ] as const
  for (const [rank, matches] of kinds) {
    const place = entry.places.find(matches)
    if (place) return { rank, place }
  }
  return undefined
}

/** "portland or" → place "portland" in OR; "austin texas" → "austin" in TX; a lone state stays the query. */
function splitTrailingState(query: string): { place: string; state?: string } {
  const isStateName = Object.values(stateNamesByCode).some((name) => toSearchable(name) === query)
  if (isStateName) return { place: query }
  const words = query.split(' ')
  for (let stateWords = Math.min(3, words.length - 1); stateWords >= 1; stateWords--) {
    const tail = words.slice(-stateWords).join(' ')
    const state = Object.keys(stateNamesByCode).find(
      (code) => code.toLowerCase() === tail || toSearchable(stateNamesByCode[code] ?? '') === tail,
    )
    if (state !== undefined) return { place: words.slice(0, -stateWords).join(' '), state }
  }
  return { place: query }
}

/** Lower case, accents and punctuation gone, single spaces: "Coeur D'Alène" and "coeur d alene" compare equal. */
function toSearchable(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Mark}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

/**
 * The main places of a code, biggest first (a fresh array, so a caller that edits it cannot change the
 * directory); a matched place that is not among them is added at the end, so the owner sees why it matched.
 */
function toInfo(entry: DirectoryEntry, matchedPlace?: Place): AreaCodeInfo {
  const places = entry.places.slice(0, shownPlaceCount).map((place) => place.name)
  if (matchedPlace && !places.includes(matchedPlace.name)) places.push(matchedPlace.name)
  return { areaCode: entry.areaCode, state: entry.state, places }
}

/** Great-circle (haversine) distance between two code centres. */
function distanceKm(
  from: Pick<DirectoryEntry, 'latitude' | 'longitude'>,
  to: Pick<DirectoryEntry, 'latitude' | 'longitude'>,
): number {
  const toRadians = (degrees: number) => (degrees * Math.PI) / 180
  const latitudeDelta = toRadians(to.latitude - from.latitude)
  const longitudeDelta = toRadians(to.longitude - from.longitude)
  const a =
    Math.sin(latitudeDelta / 2) ** 2 +
    Math.cos(toRadians(from.latitude)) * Math.cos(toRadians(to.latitude)) * Math.sin(longitudeDelta / 2) ** 2
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(a)))
}
