import { execFileSync } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from './support/fixtures.ts'
import { repoRoot } from './support/paths.ts'
import { createDataDir, findFreePort, startApp, type RunningProcess } from './support/processes.ts'

const admin = { email: 'admin@dialtone.local', password: 'dialtone-admin' }

/** The words a table's column definitions give for one column. */
function definitionOf(definitions: Locator, column: string): Locator {
  return definitions
    .locator('div')
    .filter({
      has: definitions
        .page()
        .getByRole('term')
        .filter({ hasText: new RegExp(`^${column}$`) }),
    })
    .getByRole('definition')
}

/** The time axis's labels of a chart: every tick label that is not a count, a duration or a percentage. */
async function tickLabels(page: Page, chart: string): Promise<string[]> {
  const labels = await page
    .getByRole('figure', { name: chart })
    .locator('.recharts-cartesian-axis-tick-value')
    .allTextContents()
  return labels.filter((label) => !/^[\d.,]+( s| min| h|%)?$/.test(label))
}

test('an admin lands on the analytics; columns say what they count; the organisation filter lives in the URL', async ({
  browser,
}) => {
  test.setTimeout(240_000)
  // Two years of history, thinly spread: the case where charts used to look empty.
  const dataDir = await createDataDir()
  execFileSync(
    'pnpm',
    ['--filter', '@dialtone/server', 'seed:history', '--attempts', '400', '--organizations', '6', '--days', '730'],
    { cwd: repoRoot, env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: 'pipe' },
  )
  let app: RunningProcess | null = null
  try {
    app = await startApp({ port: await findFreePort(), dataDir, env: { DEMO_ACCOUNTS: 'true' } })
    const context = await browser.newContext({ baseURL: app.url, acceptDownloads: true })
    const page = await context.newPage()
    await page.goto('/sign-in')
    await page.getByLabel('Email').fill(admin.email)
    await page.getByLabel('Password').fill(admin.password)
    await page.getByRole('button', { name: 'Sign in' }).click()

    // Signing in lands an admin on the analytics, not on an owner's empty purchase form.
    await expect(page.getByRole('heading', { name: 'Provisioning analytics' })).toBeVisible()
    expect(new URL(page.url()).pathname).toBe('/admin')

    // Two years by day: grouped by month, labels with years and never repeated, the same ticks on both charts.
    await page.getByRole('button', { name: 'Custom…' }).click()
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10)
    await page.getByLabel('From (UTC)').fill(`${day(729)}T00:00`)
    await page.getByLabel('To (UTC)').fill(`${day(-1)}T00:00`)
    await page.getByLabel('Bucket size').selectOption('day')
    await page.getByRole('button', { name: 'Show range' }).click()
    await expect(page.getByText(/, by day$/)).toBeVisible()
    const successChart = page.getByRole('figure', { name: 'Success rate and attempts' })
    await expect(successChart).toContainText('Grouped by month')
    await expect(successChart.locator('.recharts-bar-rectangle').first()).toBeVisible()
    const barWidth = (await successChart.locator('.recharts-bar-rectangle path').first().boundingBox())?.width ?? 0
    expect(barWidth).toBeGreaterThan(6)
    const successTicks = await tickLabels(page, 'Success rate and attempts')
    expect(successTicks.length).toBeGreaterThan(3)
    expect(new Set(successTicks).size).toBe(successTicks.length)
    expect(successTicks.every((label) => /^[A-Z][a-z]{2} 20\d\d$/.test(label))).toBe(true)
    expect(await tickLabels(page, 'Time from request to live')).toEqual(successTicks)
    expect(await tickLabels(page, 'Failures by reason')).toEqual(successTicks)

    // Every column says what it counts, on the page itself.
    const organizations = page.getByRole('region', { name: 'Organisations' })
    await expect(organizations.getByRole('columnheader', { name: 'Went live' })).toBeVisible()
    await expect(organizations.getByRole('columnheader', { name: 'Live now' })).toBeVisible()
    const organizationColumns = organizations.getByTestId('organization-columns')
    await expect(definitionOf(organizationColumns, 'Went live')).toHaveText(
      'those attempts whose number went live, even if it was released since.',
    )
    await expect(definitionOf(organizationColumns, 'Live now')).toContainText(
      'the organisation’s numbers live at this moment',
    )
    const areaCodes = page.getByRole('region', { name: 'Most requested area codes' })
    await expect(areaCodes.getByRole('columnheader', { name: 'Available' })).toHaveCount(0)
    await expect(definitionOf(areaCodes.getByTestId('area-code-columns'), 'None left')).toHaveText(
      'attempts Vapi refused because it had no numbers left in the code.',
    )
    await expect(definitionOf(areaCodes.getByTestId('area-code-columns'), 'Share none left')).toContainText(
      'Other failures',
    )

    // The CSV starts with a UTF-8 byte-order mark and carries the new column.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      organizations.getByRole('button', { name: 'Download CSV' }).click(),
    ])
    const bytes = await readFile((await download.path()) ?? '')
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(bytes.toString('utf8').split('\r\n')[0]).toContain(',succeeded,live_now,failed,')

    // Clicking an organisation: the URL names it, the "Showing…" line is in view, Back undoes it.
    const firstOrganization = organizations.getByRole('rowheader').first().getByRole('button')
    const name = (await firstOrganization.textContent()) ?? ''
    await firstOrganization.click()
    const chip = page.getByTestId('organization-filter')
    await expect(chip).toContainText(`Showing ${name} only`)
    await expect(chip).toBeInViewport()
    await expect(chip).toBeFocused()
    expect(new URL(page.url()).searchParams.get('organization')).toMatch(/.+/)
    await expect(page.getByText(`${name} only.`)).toBeVisible()
    const shared = page.url()
    await page.goBack()
    await expect(chip).toHaveCount(0)
    expect(new URL(page.url()).searchParams.get('organization')).toBeNull()
    await expect(page.getByText('Every organisation.')).toBeVisible()
    // The address alone opens the filtered view.
    await page.goto(shared)
    await expect(page.getByTestId('organization-filter')).toContainText(`Showing ${name} only`)
    await context.close()
  } finally {
    await app?.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
})
