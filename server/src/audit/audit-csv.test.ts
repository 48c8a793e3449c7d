import { expect, test } from 'vitest'
import { csvField } from './audit-csv.ts'

test('plain fields stay as they are; commas, quotes and line breaks are quoted with quotes doubled', () => {
  expect(csvField('alice@example.com')).toBe('alice@example.com')
  expect(csvField(null)).toBe('')
  expect(csvField('a,b')).toBe('"a,b"')
  expect(csvField('say "hi"')).toBe('"say ""hi"""')
  expect(csvField('two\nlines')).toBe('"two\nlines"')
  expect(csvField('cr\rhere')).toBe('"cr\rhere"')
})

test('a field a spreadsheet would run as a formula starts with an apostrophe', () => {
  for (const formula of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx']) expect(csvField(formula)).toBe(`'${formula}`)
  expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
  expect(csvField('\r=1')).toBe(`"'\r=1"`)
  expect(csvField('a=1')).toBe('a=1')
})
