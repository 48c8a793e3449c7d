import { expect, test } from 'vitest'
import { filterAssistants } from './filter-assistants.ts'

const frontDesk = { id: '6f1c0a52-0000-4000-8000-000000000001', name: 'Front desk' }
const afterHours = { id: '0b7d9e11-0000-4000-8000-000000000002', name: 'After-hours desk' }
const cafe = { id: 'a2c4e6f8-0000-4000-8000-000000000003', name: 'Café orders' }
const sales = { id: 'c3d5e7f9-0000-4000-8000-000000000004', name: 'Sales' }
const assistants = [sales, frontDesk, cafe, afterHours]

const names = (search: string) => filterAssistants(assistants, search).map((assistant) => assistant.name)

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
