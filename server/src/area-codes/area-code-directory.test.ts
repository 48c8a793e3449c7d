import { expect, test } from 'vitest'
import { loadAreaCodeDirectory, withSandboxAreaCodes } from './area-code-directory.ts'

const directory = loadAreaCodeDirectory()
const codesOf = (items: readonly { areaCode: string }[]) => items.map((item) => item.areaCode)

test('find returns the wire shape with the main places, biggest first, and undefined for unknown codes', () => {
  expect(directory.find('415')).toEqual({
    areaCode: '415',
    state: 'CA',
    places: ['San Francisco', 'San Rafael', 'Novato'],
  })
  expect(directory.find('206')?.places[0]).toBe('Seattle')
  expect(directory.find('713')?.places[0]).toBe('Houston')
  // libphonenumber names no place for 202; the original list's place stays.
  expect(directory.find('202')?.places).toEqual(['Washington'])
  expect(directory.find('000')).toBeUndefined()
  expect(directory.find('41')).toBeUndefined()
})

test('loads the directory once', () => {
  expect(loadAreaCodeDirectory()).toBe(directory)
})

test('a code prefix finds every code that starts with it, in code order', () => {
  const codes = codesOf(directory.search('41', 50))
  expect(codes).toEqual(['410', '412', '413', '414', '415', '417', '419'])
})

test('an exact code comes first', () => {
  expect(codesOf(directory.search('212'))).toEqual(['212'])
  expect(codesOf(directory.search(' (512) '))).toEqual(['512'])
})

test('a state code or state name finds the codes of that state, any case', () => {
  const texas = codesOf(directory.search('TX', 50))
  expect(texas).toContain('512')
  expect(texas).toContain('915')
  expect(texas.every((code) => directory.find(code)?.state === 'TX')).toBe(true)
  expect(codesOf(directory.search('texas', 50))).toEqual(texas)
  expect(codesOf(directory.search('tx', 50))).toEqual(texas)
  // After the 31 Californian codes come places named California (in MD and PA).
  const california = codesOf(directory.search('California', 50)).slice(0, 31)
  expect(california.every((code) => directory.find(code)?.state === 'CA')).toBe(true)
  expect(codesOf(directory.search('ca', 50)).slice(0, 31)).toEqual(california)
  expect(directory.search('District of Columbia').map((item) => item.state)).toEqual(['DC'])
})

test('state matches rank above place matches', () => {
  // WA is the state; DC's "Washington" and the towns called Washington elsewhere come after every WA code.
  const codes = codesOf(directory.search('washington', 50))
  const washingtonState = codes.filter((code) => directory.find(code)?.state === 'WA')
  expect(washingtonState.length).toBeGreaterThanOrEqual(5)
  expect(codes.slice(0, washingtonState.length)).toEqual(washingtonState)
  expect(codes.slice(washingtonState.length)).toContain('202')
})

test('a place matches by prefix or substring, case- and accent-insensitively', () => {
  // 415 is San Francisco's own code; 650 covers a sliver of the city.
  expect(codesOf(directory.search('san fran'))[0]).toBe('415')
  expect(codesOf(directory.search('SAN FRANCISCO'))[0]).toBe('415')
  expect(codesOf(directory.search('Sán Fráncisco'))[0]).toBe('415')
  expect(codesOf(directory.search("coeur d'alene"))).toEqual(['208'])
  // "francisco" is only inside "San Francisco": a substring match.
  expect(codesOf(directory.search('francisco'))[0]).toBe('415')
})

test('an exact place ranks above a place prefix, which ranks above a place substring', () => {
  // "Austin" is a place in TX (512, and 737 over it), MN (507) and IN (812); "Austinburg" (OH) only starts with it.
  const austin = codesOf(directory.search('austin', 50))
  expect(austin.slice(0, 4)).toEqual(['512', '737', '507', '812'])
  expect(austin.indexOf('440')).toBeGreaterThan(3)
  // "Spring" is a place in Texas (281 and its overlay 346); "Springfield"... only start with it.
  const codes = codesOf(directory.search('spring', 50))
  expect(codes.slice(0, 2)).toEqual(['281', '346'])
  expect(codes.indexOf('417')).toBeLessThan(codes.indexOf('719'))
})

test('limit caps the results; an empty or unmatched query finds nothing', () => {
  expect(directory.search('CA', 3)).toHaveLength(3)
  expect(directory.search('CA')).toHaveLength(10)
  expect(directory.search('CA', 0)).toEqual([])
  expect(directory.search('')).toEqual([])
  expect(directory.search('   ')).toEqual([])
  expect(directory.search('zzqx')).toEqual([])
})

test('results are copies: editing one does not change the directory', () => {
  const [first] = directory.search('415')
  first?.places.push('Atlantis')
  expect(directory.find('415')?.places).not.toContain('Atlantis')
})

test("Vapi's hints come first, in Vapi's order, then nearby codes", () => {
  const suggestions = directory.suggestAlternatives('415', ['212', '650'], 6)
  expect(suggestions.slice(0, 2)).toEqual([
    { ...directory.find('212'), source: 'vapi' },
    { ...directory.find('650'), source: 'vapi' },
  ])
  expect(suggestions.slice(2).every((suggestion) => suggestion.source === 'nearby')).toBe(true)
  expect(suggestions).toHaveLength(6)
})

test('the refused code is never suggested, even when Vapi hints it', () => {
  const suggestions = directory.suggestAlternatives('415', ['415', '510'], 10)
  expect(codesOf(suggestions)).not.toContain('415')
  expect(suggestions[0]).toMatchObject({ areaCode: '510', source: 'vapi' })
})

test('hint codes unknown to the directory are dropped, duplicates kept once', () => {
  const suggestions = directory.suggestAlternatives('415', ['999', '650', 'abc', '650', '212'], 6)
  expect(suggestions.filter((suggestion) => suggestion.source === 'vapi').map((s) => s.areaCode)).toEqual([
    '650',
    '212',
  ])
})

test('a hint that is also nearby appears once, as a Vapi hint', () => {
  const suggestions = directory.suggestAlternatives('415', ['650'], 8)
  const codes = codesOf(suggestions)
  expect(new Set(codes).size).toBe(codes.length)
  expect(codes.filter((code) => code === '650')).toHaveLength(1)
  expect(suggestions[0]).toMatchObject({ areaCode: '650', source: 'vapi' })
})

test('nearby: the same state first, the closest first (415 → the Bay Area before Los Angeles)', () => {
  const codes = codesOf(directory.suggestAlternatives('415', [], 30))
  expect(codes).toHaveLength(30)
  expect(codes.every((code) => directory.find(code)?.state === 'CA')).toBe(true)
  for (const bayAreaCode of ['510', '650', '707', '925']) {
    expect(codes.indexOf(bayAreaCode)).toBeLessThan(codes.indexOf('213'))
  }
  expect(codes.slice(0, 3)).toEqual(expect.arrayContaining(['510', '650']))
  expect(codes.indexOf('619')).toBeGreaterThan(codes.indexOf('213'))
})

test('nearby: other states follow by distance once the state runs out', () => {
  // Delaware has one code: the rest are neighbours, the closest ones in NJ, PA and MD.
  const codes = codesOf(directory.suggestAlternatives('302', [], 4))
  expect(codes).toHaveLength(4)
  expect(['PA', 'NJ', 'MD']).toContain(directory.find(codes[0] ?? '')?.state)
  expect(codes).not.toContain('808')
  // Nevada: its own codes, then California/Arizona/Utah, never a far-away state early.
  const nevada = directory.suggestAlternatives('702', [], 6)
  expect(nevada.slice(0, 2).map((s) => s.state)).toEqual(['NV', 'NV'])
  expect(nevada.slice(2).every((s) => ['CA', 'AZ', 'UT'].includes(s.state))).toBe(true)
})

test('count caps the suggestions, hints included', () => {
  expect(directory.suggestAlternatives('415', ['212', '213', '310'], 2).map((s) => s.areaCode)).toEqual(['212', '213'])
  expect(directory.suggestAlternatives('415', [])).toHaveLength(6)
  expect(directory.suggestAlternatives('415', ['212'], 0)).toEqual([])
})

test('an unknown refused code: nearby is measured from the first known hint', () => {
  const suggestions = directory.suggestAlternatives('533', ['999', '512'], 4)
  expect(suggestions[0]).toMatchObject({ areaCode: '512', source: 'vapi' })
  // 737 overlays 512 (the same centre): the closest "nearby" code.
  expect(suggestions[1]).toMatchObject({ areaCode: '737', source: 'nearby' })
  expect(suggestions.every((s) => s.state === 'TX')).toBe(true)
  expect(directory.suggestAlternatives('533', ['999'], 4)).toEqual([])
})

test('corrected centres: Chicago codes are nearest each other, not the western suburbs', () => {
  // The source data put 312/773 in West Chicago and 872 at the middle of Illinois.
  expect(codesOf(directory.suggestAlternatives('312', [], 2))).toEqual(['872', '773'])
  expect(directory.find('872')?.places).toEqual(['Chicago'])
  expect(directory.find('231')?.state).toBe('MI')
  expect(directory.suggestAlternatives('231', [], 1)[0]?.state).toBe('MI')
})

test('big cities find their own codes first, ranked by how many exchanges serve the city', () => {
  const first = (query: string, count: number) => codesOf(directory.search(query, count))
  expect(first('Seattle', 1)).toEqual(['206'])
  expect(first('Houston', 4)).toEqual(['713', '281', '346', '832'])
  expect(first('Denver', 2)).toEqual(['303', '720'])
  expect(first('Austin', 2)).toEqual(['512', '737'])
  expect(first('Dallas', 3)).toEqual(['214', '972', '469'])
  expect(first('Miami', 2)).toEqual(['305', '786'])
  expect(first('San Diego', 2)).toEqual(['619', '858'])
  expect(first('Detroit', 1)).toEqual(['313'])
  expect(first('Nashville', 1)).toEqual(['615'])
  expect(first('Portland', 2)).toEqual(['503', '207'])
  expect(first('San Jose', 2)).toEqual(['408', '669'])
  expect(first('Orlando', 1)).toEqual(['407'])
  expect(first('Tampa', 1)).toEqual(['813'])
  expect(first('Chicago', 3)).toEqual(['312', '773', '872'])
})

test('a place that is not among the main three still shows, after them, so the owner sees why it matched', () => {
  const [omaha] = directory.search('Bellevue NE', 1)
  expect(omaha?.areaCode).toBe('402')
  expect(omaha?.places).toEqual(['Omaha', 'Lincoln', 'Norfolk', 'Bellevue'])
})

test('a place followed by its state keeps to that state', () => {
  expect(codesOf(directory.search('Portland, OR', 10))).toEqual(['503', '971'])
  expect(codesOf(directory.search('portland maine', 10))).toEqual(['207'])
  expect(codesOf(directory.search('Austin TX', 10))).toEqual(['512', '737'])
  // A state whose name ends in another state's name is still the state.
  expect(codesOf(directory.search('West Virginia', 10))).toEqual(['304', '681'])
})

test('"(415)", "+1 415" and "1-415" are read as the code; "+1 41" as its start', () => {
  for (const query of ['(415)', '+1 415', '+1 (415)', '1-415', '+1415']) {
    expect(codesOf(directory.search(query)), query).toEqual(['415'])
  }
  expect(codesOf(directory.search('+1 41', 50))).toEqual(codesOf(directory.search('41', 50)))
})

test('describeNotInService refuses 555 and unassigned codes and accepts codes in service', () => {
  expect(directory.describeNotInService('415')).toBeUndefined()
  expect(directory.describeNotInService('534')).toBeUndefined()
  for (const code of ['555', '533', '537', '999']) {
    expect(directory.describeNotInService(code)).toMatch(
      new RegExp(`^No area code ${code} is in service.*Nothing was bought`),
    )
  }
  // Where the sandbox answers, its magic codes are accepted; 555 is still not.
  const sandbox = withSandboxAreaCodes(directory)
  for (const code of ['533', '535', '536', '537']) expect(sandbox.describeNotInService(code)).toBeUndefined()
  expect(sandbox.describeNotInService('555')).toMatch(/^No area code 555/)
  expect(sandbox.search('Seattle', 1)).toEqual(directory.search('Seattle', 1))
})
