import { rm } from 'node:fs/promises'
import { cards, createForm, expect, newOwner, requestNumber, signUp, test } from './support/fixtures.ts'
import { artifactPath } from './support/paths.ts'
import { createDataDir, findFreePort, startApp, type RunningProcess } from './support/processes.ts'

test('the sixth free number of a Vapi account is refused in words that say what to do, and nothing is added', async ({
  browser,
}) => {
  // A server of its own with Vapi's real free-number limit; the shared one lifts it for the rest of the suite.
  const dataDir = await createDataDir()
  let app: RunningProcess | null = null
  try {
    app = await startApp({ port: await findFreePort(), dataDir, env: { SANDBOX_FREE_NUMBER_LIMIT: '5' } })
    const context = await browser.newContext({ baseURL: app.url })
    const page = await context.newPage()
    await signUp(page, newOwner('Limit'))
    for (let index = 1; index <= 5; index += 1) {
      await requestNumber(page, '537', `Free ${index}`)
      await expect(cards(page)).toHaveCount(index)
    }

    await requestNumber(page, '537', 'One too many')
    const error = createForm(page).locator('..').getByTestId('create-error')
    await expect(error).toContainText('free numbers')
    await expect(error).toContainText('Nothing was bought.')
    await expect(error).toContainText('Release a number you no longer need')
    await expect(error.getByRole('link', { name: 'Open Settings → Vapi account' })).toBeVisible()
    await expect(cards(page)).toHaveCount(5)
    await expect(cards(page).filter({ hasText: 'One too many' })).toHaveCount(0)
    await page.screenshot({ path: artifactPath('free-number-limit') })
    await page.setViewportSize({ width: 390, height: 844 })
    await error.scrollIntoViewIfNeeded()
    await page.screenshot({ path: artifactPath('free-number-limit-phone') })
    await context.close()
  } finally {
    await app?.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
})
