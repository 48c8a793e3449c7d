import { expect, test } from 'vitest'
import { assistantLabel, filterAssistants } from './filter-assistants.ts'

const frontDesk = { id: '6f1c0a52-0000-4000-8000-000000000001', name: 'Front desk' }
const afterHours = { id: '0b7d9e11-0000-4000-8000-000000000002', name: 'After-hours desk' }
const cafe = { id: 'a2c4e6f8-0000-4000-8000-000000000003', name: 'Café orders' }
const sales = { id: 'c3d5e7f9-0000-4000-8000-000000000004', name: 'Sales' }
const assistants = [sales, frontDesk, cafe, afterHours]

const names = (search: string) => filterAssistants(assistants, search).map((assistant) => assistantLabel(assistant))

test('an empty search lists every assistant by name', () => {
  expect(names('')).toEqual(['After-hours desk', 'Café orders', 'Front desk', 'Sales'])
  expect(names('   ')).toEqual(names(''))
})

test('a search ignores case and accents, and names starting with it come first', () => {
  expect(names('DESK')).toEqual(['After-hours desk', 'Front desk'])
  expect(names('cafe')).toEqual(['Café orders'])
  expect(names('f')).toEqual(['Front desk', 'After-hours desk', 'Café orders'])
})

test('every word must appear in the name, in any order', () => {
  expect(names('desk front')).toEqual(['Front desk'])
  expect(names('desk sales')).toEqual([])
})

test('the start of an id finds its assistant, pasted from Vapi', () => {
  expect(names('0b7d9e11')).toEqual(['After-hours desk'])
  expect(names('0000-4000')).toEqual([])
})

test('nothing found is an empty list, and the input list is left as it was', () => {
  expect(names('zebra')).toEqual([])
  expect(assistants.map((assistant) => assistant.name)).toEqual([
    'Sales',
    'Front desk',
    'Café orders',
    'After-hours desk',
  ])
})

test('an assistant without a name is listed by the start of its id, and found by it', () => {
  const unnamed = { id: 'ffee0011-0000-4000-8000-000000000005', name: null }
  const blank = { id: '99aa0011-0000-4000-8000-000000000006', name: '  ' }
  const withUnnamed = [...assistants, unnamed, blank]
  expect(assistantLabel(unnamed)).toBe('Unnamed assistant (ffee0011)')
  expect(assistantLabel(blank)).toBe('Unnamed assistant (99aa0011)')
  expect(filterAssistants(withUnnamed, 'unnamed').map((assistant) => assistant.id)).toEqual([blank.id, unnamed.id])
  expect(filterAssistants(withUnnamed, 'ffee').map((assistant) => assistant.id)).toEqual([unnamed.id])
})
