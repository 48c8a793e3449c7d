import type { Page } from '@playwright/test'
import {
  cards,
  cardsInAreaCode,
  createForm,
  expect,
  newOwner,
  requestNumber,
  signUp,
  test,
} from './support/fixtures.ts'

/** The codes the area-code field offers for a query, in the order it offers them. */
async function offeredCodes(page: Page, query: string): Promise<string[]> {
  const field = createForm(page).getByRole('combobox', { name: 'Area code' })
  await field.fill(query)
  const listbox = page.getByRole('listbox', { name: 'Matching area codes' })
  await expect(listbox).toBeVisible()
  // Wait until the list answers this query, not the one before.
  await expect(listbox.getByRole('option').first()).toContainText(new RegExp(query.split(/[ ,]/)[0]!, 'i'))
  return listbox.locator('.combobox-code').allTextContents()
}

test('a city or a state finds its own area codes first, main city shown first', async ({ page }) => {
  await signUp(page, newOwner('Cities'))
  expect((await offeredCodes(page, 'Seattle'))[0]).toBe('206')
  expect((await offeredCodes(page, 'Houston')).slice(0, 2)).toEqual(['713', '281'])
  expect((await offeredCodes(page, 'Denver')).slice(0, 2)).toEqual(['303', '720'])
  expect((await offeredCodes(page, 'Austin')).slice(0, 2)).toEqual(['512', '737'])
  // Seattle's code reads "Seattle, …" (the city it mostly covers), no longer three suburbs chosen alphabetically.
  await offeredCodes(page, 'Seattle')
  await expect(page.getByRole('option').first()).toContainText('Seattle, Mercer Island')

  // A state name: that state's codes come first.
  const field = createForm(page).getByRole('combobox', { name: 'Area code' })
  await field.fill('Colorado')
  const options = page.getByRole('listbox', { name: 'Matching area codes' }).getByRole('option')
  await expect(options.first()).toContainText('(CO)')
  const coloradoCodes = await page.locator('.combobox-code').allTextContents()
  expect(coloradoCodes.slice(0, 4).sort()).toEqual(['303', '719', '720', '970'])

  // A search that finds nothing says so, instead of asking to pick from an empty list.
  await field.fill('Atlantis')
  await field.blur()
  await expect(createForm(page).getByText('No area code matches “Atlantis”')).toBeVisible()
  await expect(createForm(page).getByRole('button', { name: 'Get number' })).toBeDisabled()
})

test('"(415)" and "+1 415" are understood; 555 and codes not in service are refused before anything is bought', async ({
  page,
}) => {
  await signUp(page, newOwner('Formats'))
  await requestNumber(page, '(415)', 'Parenthesised')
  await expect(cardsInAreaCode(page, '415')).toHaveCount(1)
  await requestNumber(page, '+1 415', 'With country code')
  await expect(cardsInAreaCode(page, '415')).toHaveCount(2)

  // 555: the shared schema refuses it in the form, before a request is even sent.
  const field = createForm(page).getByRole('combobox', { name: 'Area code' })
  await field.fill('555')
  await expect(createForm(page).getByText('555 is kept for directory assistance')).toBeVisible()
  await expect(createForm(page).getByRole('button', { name: 'Get number' })).toBeDisabled()

  // The API refuses it too, and a well-formed code that no one uses, with 400 VALIDATION_FAILED.
  for (const areaCode of ['555', '538']) {
    const response = await page.request.post('/api/phone-numbers', { data: { areaCode } })
    expect(response.status()).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } })
  }
  // 538 typed in the form: the server's words, and no card.
  await requestNumber(page, '538')
  await expect(page.getByTestId('create-error')).toContainText('No area code 538 is in service')
  await expect(page.getByTestId('create-error')).toContainText('Nothing was bought')
  await expect(cards(page)).toHaveCount(2)
})
