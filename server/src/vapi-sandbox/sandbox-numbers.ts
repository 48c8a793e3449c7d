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

/** A digit from `from` to 9 inclusive. */
function digit(random: () => number, from = 0) {
  return String(from + Math.min(9 - from, Math.floor(random() * (10 - from))))
}

/**
 * A realistic, unused NANP number in the area code: +1 AAA NXX XXXX where the exchange starts with 2–9, is not
 * an N11 service code and is not 555 (whose 01XX lines are the fictional range).
 */
export function generatePhoneNumber(areaCode: string, random: () => number, isTaken: (number: string) => boolean) {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const exchange = digit(random, 2) + digit(random) + digit(random)
    if (exchange === '555' || exchange.endsWith('11')) continue
    const line = digit(random) + digit(random) + digit(random) + digit(random)
    const number = `+1${areaCode}${exchange}${line}`
    if (!isTaken(number)) return number
  }
  throw new Error(`No free number left in area code ${areaCode}`)
}
