import { rm } from 'node:fs/promises'
import {
  cards,
  cardsInAreaCode,
  connectionIndicator,
  expect,
  newOwner,
  requestNumber,
  signUp,
  test,
} from './support/fixtures.ts'
import { createDataDir, findFreePort, startApp, type RunningProcess } from './support/processes.ts'

const phone = { width: 375, height: 812 }
const blockedReason =
  'Vapi blocked this number before it was assigned (often a billing or inventory problem). Nothing will be charged for it; try again or pick another area code.'

test('an empty account explains numbers; on a phone a long failure reason and name are shown whole', async ({
  page,
}) => {
  await page.setViewportSize(phone)
  await signUp(page, newOwner('Phone'))
  // The pill names the connection (its words for screen readers start "Connection:"), not a number's state.
  await expect(connectionIndicator(page)).toContainText('Connection: Live updates on')
  const empty = page.getByTestId('empty-state')
  await expect(empty).toContainText('A number is the phone line your Vapi voice agent answers')
  await expect(empty).toContainText('Once live, copy the number and give it out')

  const longName = 'Front desk line for the Seattle office'
  await requestNumber(page, '535', longName)
  const card = cards(page).filter({ hasText: longName })
  await expect(card).toHaveAttribute('data-status', 'failed', { timeout: 30_000 })
  // The whole sentence is on the card, in view, not cut off nor kept in a tooltip.
  const reason = card.getByTestId('failure-reason')
  await expect(reason).toHaveText(blockedReason)
  for (const element of [reason, card.getByRole('heading', { name: longName })]) {
    const box = await element.evaluate((node) => ({
      clipped: node.scrollHeight > node.clientHeight + 1 || node.scrollWidth > node.clientWidth + 1,
      title: node.getAttribute('title'),
    }))
    expect(box).toEqual({ clipped: false, title: null })
  }
  const reasonBox = await reason.boundingBox()
  const cardBox = await card.boundingBox()
  expect(reasonBox && cardBox && reasonBox.y + reasonBox.height <= cardBox.y + cardBox.height).toBe(true)
  // The line under the form followed the number: it no longer says the card "turns live by itself".
  await expect(page.locator('.create-confirmation')).toHaveText('')

  // Once there are numbers, a phone shows them before the form.
  const listTop = (await page.getByRole('heading', { name: 'Your numbers' }).boundingBox())?.y ?? Infinity
  const formTop = (await page.getByRole('heading', { name: 'Get a number' }).boundingBox())?.y ?? -Infinity
  expect(listTop).toBeLessThan(formTop)
  await expect(page.getByRole('link', { name: 'Get another number' })).toBeVisible()
})

test('failed and released cards can be hidden, and the choice is remembered; focus stays put after a release', async ({
  page,
}) => {
  await signUp(page, newOwner('Tidy'))
  const blocked = cards(page).filter({ hasText: 'Blocked one' })
  const quick = cards(page).filter({ hasText: 'Quick one' })
  await requestNumber(page, '535', 'Blocked one')
  // The form clears once a request is made: wait for it before typing the next one.
  await expect(blocked).toHaveCount(1)
  await requestNumber(page, '537', 'Quick one')
  await expect(blocked).toHaveAttribute('data-status', 'failed', { timeout: 30_000 })
  await expect(quick).toHaveAttribute('data-status', 'active', { timeout: 30_000 })

  // Release by keyboard: focus ends on the released card, not on the page body.
  await quick.getByRole('button', { name: 'Release Quick one' }).focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByTestId('release-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(dialog.getByRole('button', { name: 'Release number' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(quick).toHaveAttribute('data-status', 'released')
  await expect(quick).toBeFocused()

  // Hide failed and released: both go, a line says so, and a reload keeps the choice.
  await page.getByRole('checkbox', { name: 'Hide failed and released' }).check()
  await expect(cards(page)).toHaveCount(0)
  await expect(page.getByTestId('hidden-summary')).toHaveText(/^2 failed or released numbers are hidden\./)
  await page.reload()
  await expect(page.getByRole('checkbox', { name: 'Hide failed and released' })).toBeChecked()
  await expect(page.getByTestId('hidden-summary')).toBeVisible()
  await expect(cards(page)).toHaveCount(0)
  // The Failed filter still shows what is hidden from "All".
  await page.getByRole('button', { name: /^Failed/ }).click()
  await expect(blocked).toBeVisible()
  await page.getByRole('button', { name: /^All/ }).click()

  // Dismissing one card hides that card alone, also after a reload.
  await page.getByRole('checkbox', { name: 'Hide failed and released' }).uncheck()
  await expect(cards(page)).toHaveCount(2)
  await blocked.getByRole('button', { name: 'Dismiss Blocked one' }).click()
  await expect(blocked).toHaveCount(0)
  await expect(quick).toBeVisible()
  await page.reload()
  await expect(quick).toBeVisible()
  await expect(blocked).toHaveCount(0)
  await page.getByRole('button', { name: 'Show them' }).click()
  await expect(blocked).toBeVisible()
})

test('a pending number shows the time left and warns; once given up, "try another area code" replaces the card', async ({
  browser,
}) => {
  // Starting a server of its own takes a while on a busy machine; then 20 s of waiting for the deadline.
  test.setTimeout(240_000)
  // A server of its own that gives a number up after 20 s; 534 is a real Wisconsin code the sandbox never assigns.
  const dataDir = await createDataDir()
  let app: RunningProcess | null = null
  try {
    app = await startApp({ port: await findFreePort(), dataDir, env: { PROVISIONING_DEADLINE_MS: '20000' } })
    const context = await browser.newContext({ baseURL: app.url })
    const page = await context.newPage()
    await signUp(page, newOwner('Deadline'))
    await requestNumber(page, '534', 'Wisconsin line')
    const card = cards(page).filter({ hasText: 'Wisconsin line' })
    await expect(card).toHaveAttribute('data-status', 'pending')
    // Under a minute is left from the start, so the warning shows at once, and counts down.
    await expect(card.getByTestId('time-left')).toHaveText(
      /^dialtone gives up in \d+ s unless Vapi assigns it\. Nothing is charged for a number given up\.$/,
    )
    await expect(page.locator('.create-confirmation')).toHaveText(
      'Asked Vapi for a 534 number. Its card is below and turns live by itself.',
    )

    await expect(card).toHaveAttribute('data-status', 'failed', { timeout: 60_000 })
    await expect(card.getByTestId('failure-reason')).toContainText('pick another area code')
    await expect(page.locator('.create-confirmation')).toHaveText('')

    await card.getByRole('button', { name: 'Try another area code' }).click()
    const options = card.getByTestId('other-area-code')
    await expect(options.first()).toBeVisible()
    // Codes of the same state first: Wisconsin's.
    await expect(options.first()).toContainText('(WI)')
    const replacement = await options.first().getAttribute('data-area-code')
    if (replacement === null) throw new Error('a suggestion without its area code')
    await options.first().click()
    // The new request keeps the name and takes the failed card's place.
    await expect(cardsInAreaCode(page, replacement)).toHaveCount(1)
    await expect(cardsInAreaCode(page, replacement)).toContainText('Wisconsin line')
    await expect(cardsInAreaCode(page, '534')).toHaveCount(0)
    await expect(page.getByTestId('hidden-summary')).toHaveText(/^1 failed or released number is hidden\./)
    await context.close()
  } finally {
    await app?.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
})
