// Where the sandbox's numbers and area-code hints come from.

/** Real, well-known area codes the sandbox suggests when a code is unavailable (as Vapi's "Hint: Try ..."). */
export const hintAreaCodePool = [
  '201',
  '206',
  '212',
  '213',
  '214',
  '303',
  '305',
  '312',
  '385',
  '404',
  '405',
  '415',
  '503',
  '512',
  '562',
  '573',
  '602',
  '617',
  '646',
  '662',
  '702',
  '716',
  '720',
  '808',
  '816',
  '901',
  '917',
  '919',
  '971',
] as const

/** Three distinct codes from the pool, never `requested`, in ascending order like Vapi's hints. */
export function pickHintAreaCodes(requested: string, random: () => number): string[] {
  const candidates: string[] = hintAreaCodePool.filter((code) => code !== requested)
  const picked: string[] = []
  while (picked.length < 3 && candidates.length > 0) {
    const index = Math.min(candidates.length - 1, Math.floor(random() * candidates.length))
    picked.push(...candidates.splice(index, 1))
  }
  return picked.sort()
}

const isUsableExchange = (exchange: number) => exchange >= 200 && exchange !== 555 && exchange % 100 !== 11

/**
 * A realistic, unused NANP number in the area code: +1 AAA NXX XXXX where the exchange starts with 2–9, is not
 * an N11 service code and is not 555 (whose 01XX lines are the fictional range). The start is random; on a
 * collision it walks on from there, so a number is found whenever one is free, whatever the random source does.
 */
export function generatePhoneNumber(areaCode: string, random: () => number, isTaken: (number: string) => boolean) {
  const total = 800 * 10_000 // exchanges 200–999 × lines 0000–9999
  const start = Math.min(total - 1, Math.floor(random() * total))
  for (let offset = 0; offset < total; offset++) {
    const index = (start + offset) % total
    const exchange = 200 + Math.floor(index / 10_000)
    if (!isUsableExchange(exchange)) continue
    const line = String(index % 10_000).padStart(4, '0')
    const number = `+1${areaCode}${exchange}${line}`
    if (!isTaken(number)) return number
  }
  throw new Error(`No free number left in area code ${areaCode}`)
}
