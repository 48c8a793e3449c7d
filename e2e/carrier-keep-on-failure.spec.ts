import type { Page } from '@playwright/test'
import { rm } from 'node:fs/promises'
import { cards, expect, newOwner, signUp, test } from './support/fixtures.ts'
import { artifactPath } from './support/paths.ts'
import { createDataDir, findFreePort, startApp } from './support/processes.ts'

async function openCarrierPanel(page: Page, which: 'Choose the exact number' | 'Import numbers you already have') {
  await page.getByTestId('carrier-entry').getByRole('button', { name: which }).click()
  const panel = page.getByTestId(which === 'Choose the exact number' ? 'carrier-search-panel' : 'carrier-import-panel')
  await expect(panel).toBeVisible()
  return panel
}

interface SandboxTwilioNumber {
  phone_number?: string
  phoneNumber?: string
  releasedAt?: string | null
}

test('Vapi refuses a bought number: released at Twilio by default, kept when the owner asks, then imported', async ({
  browser,
}) => {
  // Its own dialtone starts (and builds) first: slow on a busy machine.
  test.setTimeout(240_000)
  // A dialtone of its own: the Vapi sandbox is told to refuse imports, which would disturb other tests.
  const dataDir = await createDataDir()
  const app = await startApp({ port: await findFreePort(), dataDir })
  try {
    const vapiUrl = /built-in Vapi sandbox at (http:\/\/\S+)/.exec(app.output())?.[1]
    const twilioUrl = /Twilio at (http:\/\/\S+?),/.exec(app.output())?.[1]
    expect(vapiUrl, app.output()).toBeDefined()
    expect(twilioUrl, app.output()).toBeDefined()
    const refuseImports = (rate: number) =>
      fetch(`${vapiUrl}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ importRefusalRate: rate }),
      })
    const atTwilio = async (number: string) => {
      const all = (await (await fetch(`${twilioUrl}/_sandbox/numbers`)).json()) as SandboxTwilioNumber[]
      return all.filter((entry) => (entry.phoneNumber ?? entry.phone_number) === number)
    }
    expect((await refuseImports(1)).status).toBe(200)

    const context = await browser.newContext({ baseURL: app.url })
    const page = await context.newPage()
    await signUp(page, newOwner('Keep'))
    const panel = await openCarrierPanel(page, 'Choose the exact number')
    const keep = panel.getByLabel(/If Vapi refuses the number, keep it at Twilio/)
    await expect(keep).not.toBeChecked()
    await expect(panel).toContainText('released at Twilio at once, so nothing is charged')
    await panel.getByLabel('Area code').fill('212')
    await panel.getByRole('button', { name: 'Search' }).click()
    const results = panel.getByTestId('carrier-result')
    await expect(results.nth(1)).toBeVisible()

    // Left as it is: Vapi refuses, the owner is told it was released, and Twilio holds it no more.
    const released = results.nth(0)
    const releasedNumber = (await released.getAttribute('data-number')) ?? ''
    await released.getByRole('button', { name: /^Buy/ }).click()
    await expect(released.getByTestId('carrier-buy-error')).toContainText('released at Twilio')
    await expect.poll(async () => (await atTwilio(releasedNumber)).every((entry) => entry.releasedAt)).toBe(true)
    expect(await atTwilio(releasedNumber)).not.toEqual([])

    // Kept: the owner ticks the box; Vapi refuses again, and the number stays in the Twilio account.
    await keep.check()
    await expect(panel).toContainText('It stays in your Twilio account, to import again later')
    const kept = results.nth(1)
    const keptNumber = (await kept.getAttribute('data-number')) ?? ''
    await kept.getByRole('button', { name: /^Buy/ }).click()
    await expect(kept.getByTestId('carrier-buy-error')).toContainText('stays in your Twilio account')
    // Only what happened: no hint about Vapi's free-number limit, which an import does not touch.
    await expect(kept.getByTestId('carrier-buy-error')).not.toContainText('free-number limit')
    expect((await atTwilio(keptNumber)).some((entry) => !entry.releasedAt)).toBe(true)
    await panel.screenshot({ path: artifactPath('carrier-keep-on-failure') })
    // Both purchases show as failed cards saying what happened to the number.
    const failed = cards(page).filter({ has: page.getByTestId('phone-number-provider').getByText('Twilio · US') })
    await expect(failed).toHaveCount(2)
    for (const card of await failed.all()) await expect(card).toHaveAttribute('data-status', 'failed')

    // Vapi takes imports again: the kept number is waiting in "Import numbers you already have"; the released one is not.
    expect((await refuseImports(0)).status).toBe(200)
    await panel.getByRole('button', { name: 'Close' }).click()
    const importPanel = await openCarrierPanel(page, 'Import numbers you already have')
    const row = importPanel.locator(`[data-testid="carrier-owned-number"][data-number="${keptNumber}"]`)
    await expect(row).toBeVisible()
    await expect(importPanel.locator(`[data-number="${releasedNumber}"]`)).toHaveCount(0)
    await row.getByRole('checkbox').check()
    await importPanel.getByRole('button', { name: 'Import' }).click()
    await expect(row.getByTestId('carrier-import-outcome')).toHaveAttribute('data-outcome', 'imported')
    const importedCard = cards(page)
      .and(page.locator('[data-status="active"]'))
      .filter({ hasText: keptNumber.slice(-4) })
    await expect(importedCard).toHaveCount(1)
    await page.setViewportSize({ width: 390, height: 844 })
    await importedCard.scrollIntoViewIfNeeded()
    await page.screenshot({ path: artifactPath('carrier-kept-then-imported-phone') })
    await context.close()
  } finally {
    await app.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
})
