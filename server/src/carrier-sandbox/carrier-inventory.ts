import { createHash } from 'node:crypto'
import { digitsContain, patternToDigits, type CarrierNumberType } from '../carriers/carrier-types.ts'

// What the carrier sandboxes have for sale. The inventory is virtual and deterministic: every number of a known
// place (area code, toll-free prefix, mobile range) either is or is not in stock by a hash of the number and the
// carrier, so a search can offer numbers containing any word and a purchase can check any number without a list
// of millions. Numbers a sandbox account holds are taken out by the sandbox itself.

export type InventoryCountry = 'US' | 'CA' | 'GB'

export interface Place {
  country: InventoryCountry
  type: CarrierNumberType
  /** E.164 digits the place's numbers start with, country code included: "1415", "4420", "44800". */
  prefix: string
  /** Digits after the prefix. */
  subscriberLength: number
  /** The national destination code: the area code ("415"), "20" for London, "800". */
  areaCode: string
  locality: string | null
  /** State or province code ("CA", "ON"); the nation within the UK ("England"). */
  region: string | null
  postalCode: string | null
  rateCenter: string | null
  latitude: number | null
  longitude: number | null
}

export interface CountryInfo {
  country: InventoryCountry
  name: string
  /** Twilio's address_requirements per type. */
  addressRequirements: Partial<Record<CarrierNumberType, 'none' | 'any' | 'local' | 'foreign'>>
  capabilities: Partial<Record<CarrierNumberType, { voice: boolean; sms: boolean; mms: boolean }>>
  /** Monthly price in USD per type, as a decimal string. */
  monthlyPrice: Partial<Record<CarrierNumberType, string>>
}

export const inventoryCountries: CountryInfo[] = [
  {
    country: 'US',
    name: 'United States',
    addressRequirements: { local: 'none', 'toll-free': 'none' },
    capabilities: {
      local: { voice: true, sms: true, mms: true },
      'toll-free': { voice: true, sms: true, mms: false },
    },
    monthlyPrice: { local: '1.15', 'toll-free': '2.15' },
  },
  {
    country: 'CA',
    name: 'Canada',
    addressRequirements: { local: 'none', 'toll-free': 'none' },
    capabilities: {
      local: { voice: true, sms: true, mms: false },
      'toll-free': { voice: true, sms: true, mms: false },
    },
    monthlyPrice: { local: '1.15', 'toll-free': '2.15' },
  },
  {
    country: 'GB',
    name: 'United Kingdom',
    addressRequirements: { local: 'local', mobile: 'any', 'toll-free': 'any' },
    capabilities: {
      local: { voice: true, sms: false, mms: false },
      mobile: { voice: true, sms: true, mms: false },
      'toll-free': { voice: true, sms: false, mms: false },
    },
    monthlyPrice: { local: '1.15', mobile: '1.15', 'toll-free': '2.00' },
  },
]

function local(
  country: InventoryCountry,
  countryCode: string,
  areaCode: string,
  subscriberLength: number,
  locality: string,
  region: string,
  postalCode: string,
  latitude: number,
  longitude: number,
): Place {
  return {
    country,
    type: 'local',
    prefix: `${countryCode}${areaCode}`,
    subscriberLength,
    areaCode,
    locality,
    region,
    postalCode,
    rateCenter: locality.toUpperCase().replace(/\s+/g, ' ').slice(0, 10),
    latitude,
    longitude,
  }
}

function nonGeographic(
  country: InventoryCountry,
  type: CarrierNumberType,
  countryCode: string,
  areaCode: string,
  subscriberLength: number,
): Place {
  return {
    country,
    type,
    prefix: `${countryCode}${areaCode}`,
    subscriberLength,
    areaCode,
    locality: null,
    region: null,
    postalCode: null,
    rateCenter: null,
    latitude: null,
    longitude: null,
  }
}

export const places: Place[] = [
  local('US', '1', '415', 7, 'San Francisco', 'CA', '94103', 37.775, -122.419),
  local('US', '1', '510', 7, 'Oakland', 'CA', '94612', 37.804, -122.271),
  local('US', '1', '650', 7, 'Palo Alto', 'CA', '94301', 37.444, -122.143),
  local('US', '1', '213', 7, 'Los Angeles', 'CA', '90012', 34.052, -118.244),
  local('US', '1', '212', 7, 'New York', 'NY', '10001', 40.751, -73.994),
  local('US', '1', '312', 7, 'Chicago', 'IL', '60601', 41.886, -87.623),
  local('US', '1', '512', 7, 'Austin', 'TX', '78701', 30.27, -97.743),
  local('US', '1', '206', 7, 'Seattle', 'WA', '98101', 47.61, -122.334),
  local('US', '1', '305', 7, 'Miami', 'FL', '33130', 25.767, -80.2),
  local('US', '1', '617', 7, 'Boston', 'MA', '02108', 42.358, -71.064),
  local('US', '1', '303', 7, 'Denver', 'CO', '80202', 39.752, -104.999),
  local('US', '1', '404', 7, 'Atlanta', 'GA', '30303', 33.753, -84.39),
  ...['800', '833', '866', '877', '888'].map((code) => nonGeographic('US', 'toll-free', '1', code, 7)),
  local('CA', '1', '416', 7, 'Toronto', 'ON', 'M5H', 43.653, -79.383),
  local('CA', '1', '604', 7, 'Vancouver', 'BC', 'V6B', 49.283, -123.121),
  local('CA', '1', '514', 7, 'Montreal', 'QC', 'H2Y', 45.503, -73.568),
  local('CA', '1', '613', 7, 'Ottawa', 'ON', 'K1P', 45.421, -75.697),
  local('CA', '1', '403', 7, 'Calgary', 'AB', 'T2P', 51.047, -114.072),
  ...['844', '855'].map((code) => nonGeographic('CA', 'toll-free', '1', code, 7)),
  local('GB', '44', '20', 8, 'London', 'England', 'EC1A', 51.515, -0.098),
  local('GB', '44', '161', 7, 'Manchester', 'England', 'M1', 53.48, -2.243),
  local('GB', '44', '121', 7, 'Birmingham', 'England', 'B1', 52.48, -1.903),
  local('GB', '44', '131', 7, 'Edinburgh', 'Scotland', 'EH1', 55.953, -3.189),
  local('GB', '44', '117', 7, 'Bristol', 'England', 'BS1', 51.455, -2.588),
  ...['7700', '7400', '7500'].map((code) => nonGeographic('GB', 'mobile', '44', code, 6)),
  ...['800', '808'].map((code) => nonGeographic('GB', 'toll-free', '44', code, 7)),
]

/** Twilio's documented test numbers, offered in the US under area code 500. */
export const magicNumbers = {
  buys: '+15005550006',
  unavailable: '+15005550000',
  invalid: '+15005550001',
} as const

export interface InventoryNumber {
  number: string
  place: Place
}

export interface InventorySearch {
  country: string
  type: CarrierNumberType
  areaCode?: string | undefined
  /** Digits, letters (keypad), `*`. */
  contains?: string | undefined
  startsWith?: string | undefined
  endsWith?: string | undefined
  locality?: string | undefined
  region?: string | undefined
  postalCode?: string | undefined
  near?: { latitude: number; longitude: number; miles: number } | undefined
  capabilities?: { voice?: boolean; sms?: boolean; mms?: boolean } | undefined
}

function hashInt(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0)
}

export function countryInfo(country: string): CountryInfo | undefined {
  return inventoryCountries.find((info) => info.country === country.toUpperCase())
}

function sameText(a: string | null, b: string) {
  return a !== null && a.localeCompare(b, 'en', { sensitivity: 'base' }) === 0
}

function milesBetween(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) {
  const radians = (degrees: number) => (degrees * Math.PI) / 180
  const dLat = radians(b.latitude - a.latitude)
  const dLon = radians(b.longitude - a.longitude)
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2
  return 3958.8 * 2 * Math.asin(Math.sqrt(h))
}

/** The place a number belongs to (its longest matching prefix), or null when the sandbox sells nothing like it. */
export function placeOf(number: string): Place | null {
  const digits = number.replace(/^\+/, '')
  if (!/^\d+$/.test(digits)) return null
  const matching = places.filter(
    (place) => digits.startsWith(place.prefix) && digits.length === place.prefix.length + place.subscriberLength,
  )
  return matching.sort((a, b) => b.prefix.length - a.prefix.length)[0] ?? null
}

/** North American exchanges start 2–9 and are not N11; London's start 3, 7 or 8. */
function isValidSubscriber(place: Place, subscriber: string) {
  if (place.prefix.startsWith('1')) return /^[2-9]/.test(subscriber) && subscriber.slice(1, 3) !== '11'
  if (place.prefix === '4420') return /^[378]/.test(subscriber)
  if (place.type === 'local') return /^[2-9]/.test(subscriber)
  return true
}

/**
 * The inventory of one carrier: `seed` ("twilio", "telnyx") makes each carrier stock different numbers, `isHeld`
 * says which numbers an account of the sandbox holds now.
 */
export function createInventory(seed: string, isHeld: (number: string) => boolean) {
  function isStocked(number: string): boolean {
    const place = placeOf(number)
    if (!place) return false
    const subscriber = number.replace(/^\+/, '').slice(place.prefix.length)
    if (!isValidSubscriber(place, subscriber)) return false
    return hashInt(`${seed}:stock:${number}`) % 100 < 70
  }

  function isAvailable(number: string) {
    return isStocked(number) && !isHeld(number)
  }

  function placesFor(search: InventorySearch): Place[] {
    return places.filter((place) => {
      if (place.country !== search.country.toUpperCase() || place.type !== search.type) return false
      if (search.areaCode !== undefined && place.areaCode !== search.areaCode) return false
      if (search.locality !== undefined && !sameText(place.locality, search.locality)) return false
      if (search.region !== undefined && !sameText(place.region, search.region)) return false
      if (
        search.postalCode !== undefined &&
        !(place.postalCode ?? '').toUpperCase().startsWith(search.postalCode.toUpperCase())
      ) {
        return false
      }
      if (search.near) {
        if (place.latitude === null || place.longitude === null) return false
        const distance = milesBetween(search.near, { latitude: place.latitude, longitude: place.longitude })
        if (distance > search.near.miles) return false
      }
      const info = countryInfo(place.country)?.capabilities[place.type]
      if (!info) return false
      const wanted = search.capabilities ?? {}
      return (!wanted.voice || info.voice) && (!wanted.sms || info.sms) && (!wanted.mms || info.mms)
    })
  }

  /** A candidate number of `place` for the i-th try, with `pattern` laid over its subscriber digits where it fits. */
  function candidate(place: Place, pattern: string, key: string, index: number): string | null {
    let subscriber = ''
    for (let position = 0; subscriber.length < place.subscriberLength; position += 1) {
      subscriber += String(hashInt(`${seed}:${key}:${place.prefix}:${index}:${position}`))
        .padStart(10, '0')
        .slice(-8)
    }
    let digits = place.prefix + subscriber.slice(0, place.subscriberLength)
    if (pattern !== '') {
      const starts: number[] = []
      for (let start = 0; start + pattern.length <= digits.length; start += 1) {
        let fits = true
        for (let offset = 0; offset < pattern.length; offset += 1) {
          const at = start + offset
          const wanted = pattern[offset]
          if (at < place.prefix.length && wanted !== '*' && wanted !== digits[at]) fits = false
        }
        if (fits) starts.push(start)
      }
      if (starts.length === 0) return null
      const start = starts[hashInt(`${seed}:${key}:start:${index}`) % starts.length] ?? 0
      const chars = [...digits]
      for (let offset = 0; offset < pattern.length; offset += 1) {
        const wanted = pattern[offset]
        if (wanted !== undefined && wanted !== '*' && start + offset >= place.prefix.length)
          chars[start + offset] = wanted
      }
      digits = chars.join('')
    }
    return `+${digits}`
  }

  /**
   * Every number the search finds, in a stable order (places take turns), at most `limit`. Magic numbers come
   * first for area code 500 in the US.
   */
  function search(query: InventorySearch, limit: number): InventoryNumber[] {
    const pattern = query.contains === undefined ? '' : patternToDigits(query.contains)
    const key = JSON.stringify([query.contains ?? '', query.startsWith ?? '', query.endsWith ?? ''])
    const found: InventoryNumber[] = []
    const seen = new Set<string>()
    const matches = (number: string) => {
      const digits = number.slice(1)
      if (!digitsContain(digits, pattern)) return false
      const national = digits.slice(digits.startsWith('1') ? 1 : 2)
      if (
        query.startsWith !== undefined &&
        !national.startsWith(query.startsWith) &&
        !digits.startsWith(query.startsWith)
      ) {
        return false
      }
      return query.endsWith === undefined || digits.endsWith(query.endsWith)
    }
    const candidates = placesFor(query)
    const triesPerPlace = 200
    for (let index = 0; index < triesPerPlace && found.length < limit; index += 1) {
      for (const place of candidates) {
        if (found.length >= limit) break
        const number = candidate(place, pattern, key, index)
        if (number === null || seen.has(number)) continue
        seen.add(number)
        const subscriber = number.slice(1 + place.prefix.length)
        if (!isValidSubscriber(place, subscriber) || !matches(number) || !isAvailable(number)) continue
        found.push({ number, place })
      }
    }
    return found
  }

  return { isStocked, isAvailable, search }
}

export type Inventory = ReturnType<typeof createInventory>

/** Twilio's friendly_name: "(415) 555-0123" in North America, E.164 elsewhere. */
export function friendlyName(number: string) {
  const match = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(number)
  return match ? `(${match[1]}) ${match[2]}-${match[3]}` : number
}

export function locationOf(number: string): { latitude: number; longitude: number } | null {
  const place = placeOf(number)
  if (!place || place.latitude === null || place.longitude === null) return null
  return { latitude: place.latitude, longitude: place.longitude }
}
