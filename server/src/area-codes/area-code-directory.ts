import { z } from 'zod'
import type { AreaCodeInfo, SuggestedAreaCode } from '@dialtone/shared/area-codes'
import { invariant } from '../lib/app-error.ts'
import { stateNamesByCode } from './state-names.ts'
import areaCodeRecords from './us-area-codes.json' with { type: 'json' }

export interface AreaCodeDirectory {
  find(areaCode: string): AreaCodeInfo | undefined
  /** Codes matching a query: a code prefix ("41" → 410, 412, 415...), a state code or state name ("CA", "california"), or a place ("san fran", "Austin"). Case/accents-insensitive; best matches first (exact code, then code prefix, then state, then place prefix, then place substring); at most `limit`. Empty query → []. */
  search(query: string, limit?: number): AreaCodeInfo[]
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

interface DirectoryEntry {
  areaCode: string
  state: string
  places: string[]
  latitude: number
  longitude: number
  searchableStateName: string
  searchablePlaces: string[]
}

// Lower rank = better match; the order the interface promises.
// An exact place name ("Austin") is the best kind of place prefix, so it beats "Austintown".
const matchRank = { exactCode: 0, codePrefix: 1, state: 2, exactPlace: 3, placePrefix: 4, placeSubstring: 5 } as const
type MatchRank = (typeof matchRank)[keyof typeof matchRank]

const defaultSearchLimit = 10
const defaultSuggestionCount = 6
// A state-name prefix shorter than this ("ne", "ca") is far more likely a state code or a place.
const minimumStateNamePrefixLength = 3
const earthRadiusKm = 6371

let directory: AreaCodeDirectory | undefined

/** The directory of US area codes bundled with the server; parsed and indexed on first use only. */
export function loadAreaCodeDirectory(): AreaCodeDirectory {
  directory ??= createAreaCodeDirectory(z.array(areaCodeRecordSchema).parse(areaCodeRecords))
  return directory
}

function createAreaCodeDirectory(records: readonly AreaCodeRecord[]): AreaCodeDirectory {
  const entries: DirectoryEntry[] = records.map((record) => {
    const places = record.places
      .split(',')
      .map((place) => place.trim())
      .filter((place) => place !== '')
    return {
      areaCode: record.areaCode,
      state: record.state,
      places,
      latitude: record.lat,
      longitude: record.lon,
      searchableStateName: toSearchable(stateNamesByCode[record.state] ?? ''),
      searchablePlaces: places.map(toSearchable),
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
      const searchable = toSearchable(query)
      if (searchable === '' || !(limit >= 1)) return []
      return entries
        .flatMap((entry) => {
          const rank = rankMatch(entry, searchable)
          return rank === undefined ? [] : [{ entry, rank }]
        })
        .sort((a, b) => a.rank - b.rank || a.entry.areaCode.localeCompare(b.entry.areaCode))
        .slice(0, Math.floor(limit))
        .map(({ entry }) => toInfo(entry))
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

function rankMatch(entry: DirectoryEntry, query: string): MatchRank | undefined {
  if (/^\d+$/.test(query)) {
    if (entry.areaCode === query) return matchRank.exactCode
    return entry.areaCode.startsWith(query) ? matchRank.codePrefix : undefined
  }
  if (
    query === entry.state.toLowerCase() ||
    (query.length >= minimumStateNamePrefixLength && entry.searchableStateName.startsWith(query))
  ) {
    return matchRank.state
  }
  if (entry.searchablePlaces.includes(query)) return matchRank.exactPlace
  if (entry.searchablePlaces.some((place) => place.startsWith(query))) return matchRank.placePrefix
  if (entry.searchablePlaces.some((place) => place.includes(query))) return matchRank.placeSubstring
  return undefined
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

// A fresh copy each time, so a caller that edits its result cannot change the directory.
function toInfo(entry: DirectoryEntry): AreaCodeInfo {
  return { areaCode: entry.areaCode, state: entry.state, places: [...entry.places] }
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
