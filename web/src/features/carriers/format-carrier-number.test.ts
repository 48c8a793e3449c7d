import { describe, expect, it } from 'vitest'
import { countryName, formatCarrierNumber, markContains } from './format-carrier-number.ts'

describe('formatCarrierNumber', () => {
  it('shows North American numbers as the cards do', () => {
    expect(formatCarrierNumber('+14155550123')).toBe('+1 (415) 555-0123')
    expect(formatCarrierNumber('+16135550123')).toBe('+1 (613) 555-0123')
  })

  it('groups other countries by libphonenumber’s metadata', () => {
    expect(formatCarrierNumber('+442079460123')).toBe('+44 20 7946 0123')
    expect(formatCarrierNumber('+447700900123')).toBe('+44 7700 900123')
    expect(formatCarrierNumber('+441612345678')).toBe('+44 161 234 5678')
  })

  it('leaves what it cannot read as it came', () => {
    expect(formatCarrierNumber('+999')).toBe('+999')
    expect(formatCarrierNumber('not a number')).toBe('not a number')
  })
})

describe('countryName', () => {
  it('names a country, or keeps the code when it cannot', () => {
    expect(countryName('GB')).toMatch(/United Kingdom|UK/)
    expect(countryName('??')).toBe('??')
  })
})

describe('markContains', () => {
  const marked = (e164: string, contains?: string) =>
    markContains(e164, contains)
      .map((piece) => (piece.isMatch ? `[${piece.text}]` : piece.text))
      .join('')

  it('marks the digits a word stands for, across the number’s punctuation', () => {
    expect(marked('+14157499275', 'PIZZA')).toBe('+1 (415) [749-92]75')
    expect(marked('+14156174992', 'pizza')).toBe('+1 (415) 61[7-4992]')
  })

  it('takes * as any digit and marks the last match', () => {
    expect(marked('+442073134351', '3*3')).toBe('+44 20 731[3 43]51')
  })

  it('marks nothing without a search or a match', () => {
    expect(marked('+14155550123')).toBe('+1 (415) 555-0123')
    expect(marked('+14155550123', '999')).toBe('+1 (415) 555-0123')
  })
})
