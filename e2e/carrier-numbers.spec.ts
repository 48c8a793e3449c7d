import type { Page } from '@playwright/test'
import { cards, expect, newOwner, signUp, test } from './support/fixtures.ts'
import { artifactPath } from './support/paths.ts'
import { createDataDir, findFreePort, startApp } from './support/processes.ts'
import { rm } from 'node:fs/promises'

/** Opens "Choose the exact number" (or the import) under the get-a-number form; the panel arrives lazily. */
async function openCarrierPanel(page: Page, which: 'Choose the exact number' | 'Import numbers you already have') {
  await page.getByTestId('carrier-entry').getByRole('button', { name: which }).click()
  const panel = page.getByTestId(which === 'Choose the exact number' ? 'carrier-search-panel' : 'carrier-import-panel')
  await expect(panel).toBeVisible()
  return panel
}

test('search a carrier by country and word, see capabilities and prices, buy: the card shows its carrier and turns live', async ({
  page,
}) => {
  await signUp(page, newOwner('Carrier'))

  // Settings: in sandbox mode the carriers' stand-ins are in use, and a credential the carrier refuses is said so.
  await page.goto('/settings')
  const twilio = page.getByTestId('twilio-connection')
  await expect(twilio.getByTestId('twilio-sandbox-note')).toContainText('Sandbox Twilio in use')
  await expect(page.getByTestId('telnyx-sandbox-note')).toContainText('Sandbox Telnyx in use')
  await twilio.getByLabel('Account SID').fill(`AC${'0'.repeat(32)}`)
  await twilio.getByLabel('API key SID').fill(`SK${'0'.repeat(32)}`)
  await twilio.getByLabel('API key secret').fill('not-the-secret')
  await twilio.getByRole('button', { name: 'Connect Twilio' }).click()
  await expect(twilio.getByTestId('twilio-connection-error')).toContainText(/refused.*nothing was saved/i)
  await expect(twilio.getByTestId('twilio-connection-status')).not.toHaveAttribute('data-source', 'organization')
  await page.goto('/')

  // Twilio, United Kingdom, London: numbers with their place, capabilities and the address rule.
  const panel = await openCarrierPanel(page, 'Choose the exact number')
  await expect(panel.getByTestId('carrier-sandbox-note')).toBeVisible()
  await panel.getByLabel('Country').selectOption('GB')
  await panel.getByLabel('City or town').fill('London')
  await panel.getByRole('button', { name: 'Search' }).click()
  const results = panel.getByTestId('carrier-result')
  await expect(results.first()).toBeVisible()
  await expect(results.first()).toContainText(/^\+44 20 \d{4} \d{4}/)
  await expect(results.first()).toContainText('London')
  await expect(results.first().getByLabel('Voice: yes')).toBeVisible()
  await expect(results.first()).toContainText('Address needed')
  // Twilio pages its results.
  await panel.getByRole('button', { name: 'Next' }).click()
  await expect(panel.getByText('Page 2')).toBeVisible()
  // The previous page stays on screen (dimmed, busy) until the next one arrives.
  await expect(panel.getByTestId('carrier-results')).toHaveAttribute('aria-busy', 'false')
  await expect(results.first()).toContainText(/^\+44 20/)

  const gbNumber = await results.first().getAttribute('data-number')
  await results.first().getByRole('button', { name: /^Buy/ }).click()
  await expect(results.first().getByTestId('carrier-bought')).toBeVisible()
  const gbCard = cards(page).filter({ has: page.getByTestId('phone-number-provider').getByText('Twilio · GB') })
  await expect(gbCard).toHaveCount(1)
  await expect(gbCard).toHaveAttribute('data-status', 'active', { timeout: 30_000 })
  await expect(gbCard.getByTestId('phone-number-value')).toHaveText(/^\+44 20 \d{4} \d{4}$/)
  expect((await gbCard.getByTestId('phone-number-value').textContent())?.replace(/\s/g, '')).toBe(gbNumber)

  // Twilio's magic unavailable number: refused plainly, nothing bought.
  await panel.getByLabel('Country').selectOption('US')
  await panel.getByLabel('City or town').fill('')
  await panel.getByLabel('Area code').fill('500')
  await panel.getByRole('button', { name: 'Search' }).click()
  const unavailable = panel.locator('[data-testid="carrier-result"][data-number="+15005550000"]')
  await unavailable.getByRole('button', { name: /^Buy/ }).click()
  await expect(unavailable.getByTestId('carrier-buy-error')).toContainText('not available')
  await expect(cards(page)).toHaveCount(1)

  // Telnyx: a word in the number, prices; its order is asynchronous, so the card is pending first, then live.
  await panel.getByRole('radio', { name: 'Telnyx' }).check()
  await panel.getByLabel('Area code').fill('415')
  await panel.getByLabel('Contains').fill('PIZZA')
  await panel.getByRole('button', { name: 'Search' }).click()
  await expect(results.first()).toContainText(/^\+1 \(415\) /)
  await expect(results.first()).toContainText('San Francisco')
  for (const number of await results.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-number')))) {
    expect(number).toContain('74992')
  }
  // Where the word sits in each number is marked.
  await expect(results.first().locator('mark')).toHaveText(/^[\d-]+$/)
  await expect(results.first()).toContainText('$1.15/mo')
  await expect(results.first().getByLabel('SMS: yes')).toBeVisible()
  await page.mouse.move(0, 0)
  await expect(page.locator('[data-sonner-toast]')).toHaveCount(0, { timeout: 15_000 })
  await panel.screenshot({ path: artifactPath('carrier-search-results') })
  // The README's picture: the form and the first results.
  const box = await panel.boundingBox()
  const scrollY = await page.evaluate(() => window.scrollY)
  if (box) {
    await page.screenshot({
      path: artifactPath('carrier-search'),
      fullPage: true,
      clip: { x: box.x - 8, y: box.y + scrollY - 8, width: box.width + 16, height: Math.min(box.height, 760) + 8 },
    })
  }

  const telnyxNumber = await results.first().getAttribute('data-number')
  // Every status the Telnyx card shows, as the page draws it: on a busy machine the order can complete (1–3 s) before
  // a poll of the page would see "Provisioning…", so the page itself records what it drew.
  await page.evaluate(() => {
    const seen = new Set<string>()
    Object.assign(window, { telnyxStatusesSeen: seen })
    const record = () => {
      for (const card of document.querySelectorAll('[data-testid="phone-number-card"]')) {
        const provider = card.querySelector('[data-testid="phone-number-provider"]')?.textContent ?? ''
        const status = card.querySelector('[data-testid="phone-number-status"]')?.textContent ?? ''
        if (provider.includes('Telnyx · US')) seen.add(`${card.getAttribute('data-status')}: ${status}`)
      }
    }
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true })
  })
  await results.first().getByRole('button', { name: /^Buy/ }).click()
  const telnyxCard = cards(page).filter({ has: page.getByTestId('phone-number-provider').getByText('Telnyx · US') })
  await expect(telnyxCard).toHaveAttribute('data-status', 'active', { timeout: 30_000 })
  const telnyxStatusesSeen = await page.evaluate(() =>
    [...((window as unknown as { telnyxStatusesSeen: Set<string> }).telnyxStatusesSeen ?? [])].sort(),
  )
  // Pending from the first step (the order placed), then live by itself.
  expect(
    telnyxStatusesSeen.filter((seen) => seen.startsWith('pending:') && seen.includes('Provisioning…')),
    telnyxStatusesSeen.join(' | '),
  ).not.toEqual([])
  await expect(telnyxCard.getByTestId('phone-number-status')).toHaveText('Live')
  await expect(telnyxCard.getByTestId('phone-number-value')).toHaveText(
    `+1 (415) ${telnyxNumber?.slice(5, 8)}-${telnyxNumber?.slice(8)}`,
  )
  // What each costs a month, as its carrier said, and the organisation's total per currency.
  await expect(telnyxCard.getByTestId('phone-number-price')).toHaveText('$1.15/mo')
  await expect(gbCard.getByTestId('phone-number-price')).toHaveText('$1.15/mo')
  await expect(page.getByTestId('monthly-cost')).toHaveText('Monthly cost: $2.30/mo for 2 numbers')
  await expect(page.getByText(/is live/)).toHaveCount(0, { timeout: 15_000 })
  await telnyxCard.scrollIntoViewIfNeeded()
  await page.screenshot({ path: artifactPath('carrier-card-live'), fullPage: true })
  await page.locator('.numbers-panel').screenshot({ path: artifactPath('carrier-cards') })

  // A phone-sized window: the search still reads.
  await page.setViewportSize({ width: 390, height: 844 })
  await panel.scrollIntoViewIfNeeded()
  await page.screenshot({ path: artifactPath('carrier-search-phone'), fullPage: false })
  await telnyxCard.scrollIntoViewIfNeeded()
  await page.screenshot({ path: artifactPath('carrier-cards-phone'), fullPage: false })
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  await page.goto('/settings')
  await page.setViewportSize({ width: 1280, height: 800 })
  await expect(page.getByTestId('telnyx-connection-status')).toHaveAttribute('data-source', 'sandbox')
  await page.getByTestId('twilio-connection').scrollIntoViewIfNeeded()
  await page.locator('.carrier-connections').screenshot({ path: artifactPath('carrier-connections') })
})

test('connect your own Twilio account, import a number it already holds: the card is live at once', async ({
  browser,
}) => {
  // A dialtone of its own, to know where its Twilio sandbox listens (the banner says).
  const dataDir = await createDataDir()
  const app = await startApp({ port: await findFreePort(), dataDir })
  try {
    const twilioUrl = /Twilio at (http:\/\/\S+?),/.exec(app.output())?.[1]
    expect(twilioUrl, app.output()).toBeDefined()
    // The owner's own account at the carrier, holding one number bought outside dialtone.
    const account = (await (
      await fetch(`${twilioUrl}/_sandbox/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Owner’s own' }),
      })
    ).json()) as { accountSid: string; apiKeySid: string; apiKeySecret: string }
    const auth = `Basic ${Buffer.from(`${account.apiKeySid}:${account.apiKeySecret}`).toString('base64')}`
    const base = `${twilioUrl}/2010-04-01/Accounts/${account.accountSid}`
    const available = (await (
      await fetch(`${base}/AvailablePhoneNumbers/US/Local.json?AreaCode=312`, { headers: { authorization: auth } })
    ).json()) as { available_phone_numbers: { phone_number: string }[] }
    const owned = available.available_phone_numbers[0]?.phone_number ?? ''
    const bought = await fetch(`${base}/IncomingPhoneNumbers.json`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ PhoneNumber: owned, FriendlyName: 'Shop line' }),
    })
    expect(bought.status).toBe(201)

    const context = await browser.newContext({ baseURL: app.url })
    const page = await context.newPage()
    await signUp(page, newOwner('Import'))
    await page.goto('/settings')
    const twilio = page.getByTestId('twilio-connection')
    await twilio.getByLabel('Account SID').fill(account.accountSid)
    await twilio.getByLabel('API key SID').fill(account.apiKeySid)
    await twilio.getByLabel('API key secret').fill(account.apiKeySecret)
    await twilio.getByRole('button', { name: 'Connect Twilio' }).click()
    const status = twilio.getByTestId('twilio-connection-status')
    await expect(status).toHaveAttribute('data-source', 'organization')
    await expect(status).toContainText(`••••${account.apiKeySecret.slice(-4)}`)
    await expect(twilio.getByTestId('twilio-sandbox-note')).toHaveCount(0)
    await page.locator('.carrier-connections').screenshot({ path: artifactPath('carrier-connections-own') })

    await page.goto('/')
    const panel = await openCarrierPanel(page, 'Import numbers you already have')
    const row = panel.locator(`[data-testid="carrier-owned-number"][data-number="${owned}"]`)
    await expect(row).toContainText('Shop line')
    await row.getByRole('checkbox').check()
    await panel.getByRole('button', { name: 'Import' }).click()
    await expect(row.getByTestId('carrier-import-outcome')).toHaveAttribute('data-outcome', 'imported')
    await expect(panel.getByTestId('carrier-import-summary')).toHaveText('1 imported, 0 not imported.')
    const card = cards(page).filter({ has: page.getByTestId('phone-number-provider').getByText('Twilio · US') })
    await expect(card).toHaveAttribute('data-status', 'active')
    await expect(card.getByTestId('phone-number-value')).toHaveText(`+1 (312) ${owned.slice(5, 8)}-${owned.slice(8)}`)
    // Now held: it cannot be chosen again.
    await expect(row.getByRole('checkbox')).toBeDisabled()
    await page.screenshot({ path: artifactPath('carrier-import'), fullPage: true })

    // Disconnecting forgets the owner's credentials: the sandbox account is what is left.
    await page.goto('/settings')
    await twilio.getByRole('button', { name: 'Disconnect' }).click()
    await twilio.getByRole('button', { name: 'Disconnect Twilio' }).click()
    await expect(status).not.toHaveAttribute('data-source', 'organization')
    await expect(twilio.getByTestId('twilio-sandbox-note')).toBeVisible()
    await context.close()
  } finally {
    await app.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
})
