import { execFileSync } from 'node:child_process'
import { rm } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import {
  demoAdmin,
  demoOwner,
  expect,
  expectSameWindow,
  markWindow,
  requestNumber,
  signIn,
  test,
} from './support/fixtures.ts'
import { artifactPath, repoRoot } from './support/paths.ts'
import { createDataDir, findFreePort, startApp, type RunningProcess } from './support/processes.ts'

const admin = demoAdmin
const owner = demoOwner

/** The whole number a stat card shows, e.g. 1,234 → 1234. */
async function readCount(page: Page, testId: string): Promise<number> {
  const text = await page.getByTestId(testId).locator('.stat-value').innerText()
  return Number(text.replaceAll(',', ''))
}

/** "816 live · 170 failed" → 816 */
async function readLive(page: Page): Promise<number> {
  const text = await page.getByTestId('stat-success-rate').locator('.stat-detail').innerText()
  return Number(/([\d,]+) live/.exec(text)?.[1]?.replaceAll(',', '') ?? Number.NaN)
}

test('an admin sees the charts over a seeded history and watches a number go live; an owner gets 403', async ({
  browser,
}) => {
  test.setTimeout(180_000)
  // A server of its own: a week of history written into its embedded database before it starts, and the demo
  // accounts (one of them an admin) that main.ts creates in sandbox mode.
  const dataDir = await createDataDir()
  execFileSync(
    'pnpm',
    ['--filter', '@dialtone/server', 'seed:history', '--attempts', '3000', '--organizations', '12', '--days', '7'],
    { cwd: repoRoot, env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: 'pipe' },
  )
  let app: RunningProcess | null = null
  try {
    app = await startApp({ port: await findFreePort(), dataDir, env: { DEMO_ACCOUNTS: 'true' } })
    const adminContext = await browser.newContext({ baseURL: app.url })
    const adminPage = await adminContext.newPage()
    await signIn(adminPage, admin)
    await adminPage.getByRole('link', { name: 'Admin' }).click()
    await expect(adminPage.getByRole('heading', { name: 'Provisioning analytics' })).toBeVisible()

    // The seeded week: charts drawn, figures in the cards and tables.
    for (const chart of ['Success rate and attempts', 'Time from request to live', 'Failures by reason']) {
      await expect(
        adminPage.getByRole('figure', { name: chart }).locator('.recharts-bar-rectangle, .recharts-line-curve').first(),
      ).toBeVisible()
    }
    await expect.poll(() => readCount(adminPage, 'stat-attempts')).toBeGreaterThan(100)
    await expect(adminPage.getByTestId('stat-success-rate').locator('.stat-value')).toHaveText(/^\d+(\.\d)?%$/)
    await expect(adminPage.getByTestId('stat-time-to-live').locator('.stat-value')).toHaveText(/\d+(\.\d)? s$/)
    await expect(adminPage.getByRole('region', { name: 'Organisations' }).getByRole('row')).not.toHaveCount(0)
    await adminPage.getByRole('button', { name: '7 days' }).click()
    await expect(adminPage.getByText(/by day$/)).toBeVisible()
    await expect.poll(() => readCount(adminPage, 'stat-attempts')).toBeGreaterThan(2500)
    await adminPage.screenshot({ path: artifactPath('admin-charts'), fullPage: true })
    await adminPage.getByRole('button', { name: '24 hours' }).click()
    await expect(adminPage.getByText(/by hour$/)).toBeVisible()

    // An owner asks for a number that the sandbox assigns within a second; the admin page follows without a reload.
    const attemptsBefore = await readCount(adminPage, 'stat-attempts')
    const liveBefore = await readLive(adminPage)
    await markWindow(adminPage)
    const ownerContext = await browser.newContext({ baseURL: app.url })
    const ownerPage = await ownerContext.newPage()
    await signIn(ownerPage, owner)
    await requestNumber(ownerPage, '537', 'Watched by the admin')
    await expect.poll(() => readCount(adminPage, 'stat-attempts'), { timeout: 20_000 }).toBe(attemptsBefore + 1)
    await expect.poll(() => readLive(adminPage), { timeout: 20_000 }).toBe(liveBefore + 1)
    await expectSameWindow(adminPage)
    await adminPage.screenshot({ path: artifactPath('admin-live') })

    // On a phone-sized screen the page still reads top to bottom.
    await adminPage.setViewportSize({ width: 390, height: 844 })
    await expect(adminPage.getByRole('figure', { name: 'Success rate and attempts' })).toBeVisible()
    await adminPage.screenshot({ path: artifactPath('admin-phone'), fullPage: true })

    // The owner is no admin: no link, /admin leads home, and the API refuses.
    await expect(ownerPage.getByRole('link', { name: 'Admin', exact: true })).toHaveCount(0)
    await ownerPage.goto('/admin')
    await expect(ownerPage.getByRole('heading', { name: 'Get a number' })).toBeVisible()
    const refused = await ownerPage.request.get('/api/admin/provisioning-stats')
    expect(refused.status()).toBe(403)
    expect(await refused.json()).toMatchObject({ error: { code: 'FORBIDDEN' } })

    await adminContext.close()
    await ownerContext.close()
  } finally {
    await app?.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
})
