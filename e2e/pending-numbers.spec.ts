import { cards, expect, newOwner, requestNumber, signUp, test } from './support/fixtures.ts'

test('"Check now" and "Check all pending" ask Vapi and say what they found', async ({ page }) => {
  await signUp(page, newOwner('Check'))
  // 534: the sandbox never assigns a number, so the card stays pending.
  await requestNumber(page, '534', 'Waiting line')
  const card = cards(page).filter({ hasText: 'Waiting line' })
  await expect(card).toHaveAttribute('data-status', 'pending')
  await expect(card.getByTestId('elapsed')).toHaveText(/^[1-9]\d* s$/, { timeout: 5_000 })

  await card.getByRole('button', { name: 'Check Waiting line now' }).click()
  await expect(page.getByText('Still provisioning: Vapi has not assigned the 534 number yet.')).toBeVisible()

  await page.getByRole('button', { name: 'Check all pending' }).click()
  await expect(page.getByText('Checked 1 number: 0 went live, 1 still provisioning.')).toBeVisible()
  await expect(card).toHaveAttribute('data-status', 'pending')
})

test('filter by status and search by name or number', async ({ page }) => {
  await signUp(page, newOwner('Filter'))
  await requestNumber(page, '415', 'Front desk')
  await expect(cards(page).filter({ hasText: 'Front desk' })).toHaveAttribute('data-status', 'active', {
    timeout: 30_000,
  })
  await requestNumber(page, '534', 'Night line')
  await expect(cards(page)).toHaveCount(2)

  await page.getByRole('button', { name: 'Live 1' }).click()
  await expect(cards(page)).toHaveCount(1)
  await expect(cards(page).first()).toContainText('Front desk')
  await page.getByRole('button', { name: 'Provisioning 1' }).click()
  await expect(cards(page)).toHaveCount(1)
  await expect(cards(page).first()).toContainText('Night line')
  await page.getByRole('button', { name: 'All 2' }).click()

  const search = page.getByRole('searchbox', { name: 'Search by number or name' })
  await search.fill('night')
  await expect(cards(page)).toHaveCount(1)
  await expect(cards(page).first()).toContainText('Night line')
  await search.fill('(415)')
  await expect(cards(page)).toHaveCount(1)
  await expect(cards(page).first()).toContainText('Front desk')
  await search.fill('nothing like this')
  await expect(page.getByText('No numbers match.')).toBeVisible()
})

test('a failed number offers "Try again", which asks for the same area code and replaces the failed card', async ({
  page,
}) => {
  await signUp(page, newOwner('Retry'))
  // 535: the sandbox blocks the number, so it fails.
  await requestNumber(page, '535', 'Blocked')
  const failed = cards(page).filter({ hasText: 'Blocked' })
  await expect(failed).toHaveAttribute('data-status', 'failed', { timeout: 30_000 })
  const failedId = await failed.getAttribute('data-phone-number-id')
  await failed.getByRole('button', { name: /Try again/ }).click()
  // One card again: the new request, in the same code; the failed one is put away, not piled up.
  await expect(page.locator(`[data-phone-number-id="${failedId}"]`)).toHaveCount(0)
  await expect(cards(page).filter({ hasText: 'Blocked' })).toHaveCount(1)
  await expect(cards(page).filter({ hasText: 'Blocked' }).first()).toContainText('(535)')
  await expect(page.getByTestId('hidden-summary')).toHaveText(/^1 failed or released number is hidden\./)
})

test('with notifications on, a number going live while the tab is in the background raises a notification', async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(['notifications'], { origin: baseURL })
  // Record what the page shows as notifications and pretend the tab is in the background: headless Chromium
  // has no real background tab or notification centre to look at.
  await page.addInitScript(() => {
    const shown: string[] = []
    Reflect.set(window, 'shownNotifications', shown)
    const RealNotification = window.Notification
    class RecordingNotification extends RealNotification {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options)
        shown.push(`${title} | ${options?.body ?? ''}`)
      }
    }
    Reflect.set(window, 'Notification', RecordingNotification)
  })
  await signUp(page, newOwner('Notify'))
  await page.getByRole('button', { name: 'Notify me when numbers go live' }).click()
  await expect(page.getByRole('button', { name: 'Notifications on' })).toHaveAttribute('aria-pressed', 'true')

  const shownNotifications = () => page.evaluate(() => Reflect.get(window, 'shownNotifications') as unknown)

  // In front, the toast is enough: no notification.
  await requestNumber(page, '206', 'Front line')
  await expect(cards(page).filter({ hasText: 'Front line' })).toHaveAttribute('data-status', 'active', {
    timeout: 30_000,
  })
  await expect(page.getByText('“Front line” is live')).toBeVisible()
  expect(await shownNotifications()).toEqual([])

  await requestNumber(page, '206', 'Background line')
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
  })
  await expect(cards(page).filter({ hasText: 'Background line' })).toHaveAttribute('data-status', 'active', {
    timeout: 30_000,
  })
  await expect
    .poll(shownNotifications)
    .toEqual([expect.stringMatching(/^“Background line” is live \| \+1 \(206\) \d{3}-\d{4}$/)])
})
