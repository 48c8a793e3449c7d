import {
  cards,
  expect,
  expectSameWindow,
  formattedNumberPattern,
  markWindow,
  newOwner,
  requestNumber,
  signUp,
  test,
} from './support/fixtures.ts'
import { artifactPath } from './support/paths.ts'

test('sign up, ask for a number: the card says "Provisioning…" and turns "Live" with the number, with no reload and no click', async ({
  page,
}) => {
  await signUp(page, newOwner('Live'))
  await expect(page.getByTestId('sandbox-banner')).toContainText('Sandbox mode')
  await expect(page.getByTestId('empty-state')).toBeVisible()
  await page.screenshot({ path: artifactPath('empty') })

  await markWindow(page)
  await requestNumber(page, '415', 'Front desk')
  const card = cards(page).first()
  await expect(card.getByTestId('phone-number-status')).toHaveText('Provisioning…')
  await expect(card).toHaveAttribute('data-status', 'pending')
  await expect(card.getByTestId('phone-number-value')).toHaveText('+1 (415) ···-····')
  // The form is cleared after success.
  await expect(page.getByRole('combobox', { name: 'Area code' })).toHaveValue('')
  await page.screenshot({ path: artifactPath('provisioning') })
  const pendingBox = await card.boundingBox()

  await expect(card.getByTestId('phone-number-status')).toHaveText('Live', { timeout: 30_000 })
  await expect(card.getByTestId('phone-number-value')).toHaveText(formattedNumberPattern('415'))
  await expect(page.getByText('“Front desk” is live')).toBeVisible()
  await expectSameWindow(page)
  // Fixed card dimensions: turning live changes the words, not the layout.
  expect(await card.boundingBox()).toEqual(pendingBox)

  // A fuller dashboard for the screenshot: a second live number and one the sandbox never assigns (534).
  await requestNumber(page, '212', 'After hours')
  await expect(cards(page).filter({ hasText: 'After hours' })).toHaveAttribute('data-status', 'active', {
    timeout: 30_000,
  })
  await requestNumber(page, '534', 'Sales line')
  await expect(cards(page).filter({ hasText: 'Sales line' })).toHaveAttribute('data-status', 'pending')
  await expect(page.getByRole('button', { name: /Live 2/ })).toBeVisible()
  // Let the toasts go before the picture.
  await expect(page.getByText('“After hours” is live')).toBeHidden({ timeout: 10_000 })
  await page.mouse.move(0, 0)
  await page.screenshot({ path: artifactPath('live') })
})

test('copy puts the number on the clipboard and says so', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL })
  await signUp(page, newOwner('Copy'))
  await requestNumber(page, '312')
  const card = cards(page).first()
  await expect(card).toHaveAttribute('data-status', 'active', { timeout: 30_000 })
  const shown = await card.getByTestId('phone-number-value').textContent()
  await card.getByRole('button', { name: /^Copy/ }).click()
  await expect(card.getByRole('button', { name: 'Copied' })).toBeVisible()
  const copied = await page.evaluate(() => navigator.clipboard.readText())
  expect(copied).toMatch(/^\+1312\d{7}$/)
  expect(shown).toBe(`+1 (312) ${copied.slice(5, 8)}-${copied.slice(8)}`)
})

test('release asks first; Escape cancels, confirming releases', async ({ page }) => {
  await signUp(page, newOwner('Release'))
  await requestNumber(page, '303', 'Old line')
  const card = cards(page).first()
  await expect(card).toHaveAttribute('data-status', 'active', { timeout: 30_000 })

  await card.getByRole('button', { name: 'Release Old line' }).click()
  const dialog = page.getByRole('dialog', { name: 'Release Old line?' })
  await expect(dialog).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(card).toHaveAttribute('data-status', 'active')
  await expect(card.getByRole('button', { name: 'Release Old line' })).toBeFocused()

  await card.getByRole('button', { name: 'Release Old line' }).click()
  await dialog.getByRole('button', { name: 'Release number' }).click()
  await expect(dialog).toBeHidden()
  await expect(card).toHaveAttribute('data-status', 'released')
  await expect(card.getByTestId('phone-number-status')).toHaveText('Released')
})

test('on a phone-sized screen everything fits without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 })
  await signUp(page, newOwner('Phone'))
  await requestNumber(page, '617', 'Reception')
  await expect(cards(page).first()).toHaveAttribute('data-status', 'active', { timeout: 30_000 })
  await requestNumber(page, '534', 'Bookings')
  await expect(cards(page).filter({ hasText: 'Bookings' })).toHaveAttribute('data-status', 'pending')
  await expect(page.getByText('“Reception” is live')).toBeHidden({ timeout: 10_000 })
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }))
  expect(widths.scroll).toBeLessThanOrEqual(widths.client)
  await page.screenshot({ path: artifactPath('phone'), fullPage: true })
})
