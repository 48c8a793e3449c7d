import {
  cards,
  cardsInAreaCode,
  createForm,
  expect,
  formattedNumberPattern,
  newOwner,
  requestNumber,
  signUp,
  test,
} from './support/fixtures.ts'
import { artifactPath } from './support/paths.ts'

test('533 is unavailable: the suggestions are shown with their places, and one click gets a number in that code', async ({
  page,
}) => {
  await signUp(page, newOwner('Suggest'))

  // A failed card first (the sandbox blocks 535), so the screenshot shows both kinds of trouble.
  await requestNumber(page, '535', 'Blocked line')
  const failedCard = cards(page).filter({ hasText: 'Blocked line' })
  await expect(failedCard).toHaveAttribute('data-status', 'failed', { timeout: 30_000 })
  await expect(failedCard.getByTestId('phone-number-status')).toHaveText('Failed')
  await expect(failedCard.getByRole('button', { name: /Try again/ })).toBeVisible()

  await requestNumber(page, '533')
  const unavailable = page.getByTestId('area-code-unavailable')
  await expect(unavailable).toContainText('No numbers are available in 533 right now')
  const suggestions = unavailable.getByTestId('suggested-area-code')
  await expect(suggestions.first()).toBeVisible()
  // "Try 510 — Oakland, Berkeley (CA)" and who suggested it.
  await expect(suggestions.first()).toHaveText(/^Try \d{3} — .+\(.+\)(Suggested by Vapi|Nearby)$/)
  await expect(cardsInAreaCode(page, '533')).toHaveCount(0)
  await page.mouse.move(0, 0)
  await page.screenshot({ path: artifactPath('failed-with-suggestions'), fullPage: true })

  const suggested = await suggestions.first().getAttribute('data-area-code')
  if (suggested === null) throw new Error('a suggestion without its area code')
  await suggestions.first().click()

  const card = cardsInAreaCode(page, suggested)
  await expect(card).toHaveCount(1)
  await expect(unavailable).toBeHidden()
  await expect(card).toHaveAttribute('data-status', 'active', { timeout: 30_000 })
  await expect(card.getByTestId('phone-number-value')).toHaveText(formattedNumberPattern(suggested))
})

test('the area-code field suggests codes for a city and is driven by the keyboard', async ({ page }) => {
  await signUp(page, newOwner('Keys'))
  const field = createForm(page).getByRole('combobox', { name: 'Area code' })
  await field.fill('Berkeley')
  const listbox = page.getByRole('listbox', { name: 'Matching area codes' })
  await expect(listbox).toBeVisible()
  await expect(field).toHaveAttribute('aria-expanded', 'true')
  const firstOption = listbox.getByRole('option').first()
  await expect(firstOption).toContainText('Berkeley')
  const code = (await firstOption.locator('.combobox-code').textContent()) ?? ''
  await field.press('ArrowDown')
  await expect(firstOption).toHaveAttribute('aria-selected', 'true')
  await field.press('Enter')
  await expect(field).toHaveValue(code)
  await expect(listbox).toBeHidden()
  await expect(createForm(page).getByRole('button', { name: 'Get number' })).toBeEnabled()

  // Inline validation with the shared schema's words; submit stays disabled while invalid.
  await field.fill('911')
  await expect(createForm(page).getByText('N11 codes (like 411 or 911) are service codes')).toBeVisible()
  await expect(createForm(page).getByRole('button', { name: 'Get number' })).toBeDisabled()
})

test('when Vapi fails (the sandbox answers 536 with a 500), the owner reads what happened and what to do', async ({
  page,
}) => {
  await signUp(page, newOwner('Trouble'))
  await requestNumber(page, '536')
  const error = page.getByTestId('create-error')
  await expect(error).toHaveText('Vapi is having trouble right now; nothing was bought. Try again in a minute.', {
    timeout: 30_000,
  })
  await expect(cards(page)).toHaveCount(0)
  // The area code stays in the field, ready for another try.
  await expect(createForm(page).getByRole('combobox', { name: 'Area code' })).toHaveValue('536')
})
