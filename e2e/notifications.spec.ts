import path from 'node:path'
import { rm } from 'node:fs/promises'
import {
  cardsInAreaCode,
  demoAdmin,
  demoOwner,
  expect,
  expectSameWindow,
  markWindow,
  newOwner,
  requestNumber,
  signIn,
  signUp,
  test,
} from './support/fixtures.ts'
import { artifactsDir } from './support/paths.ts'
import {
  createDataDir,
  createSecret,
  findFreePort,
  findFreePortRun,
  startApp,
  startSandbox,
} from './support/processes.ts'
import { startSmtpReceiver } from './support/smtp-receiver.ts'

// Screenshots for people to look at; the folder is ignored by git.
const lookAt = (name: string) => path.join(artifactsDir, 'tmp', `${name}.png`)

const admin = demoAdmin
const owner = demoOwner

test('an owner chooses which mail they get and reads it in the sandbox mailbox', async ({ page }) => {
  await signUp(page, newOwner('Mailbox'))
  await page.getByRole('link', { name: 'Settings' }).click()
  const form = page.getByRole('form', { name: 'Email notifications' })
  await expect(form.getByRole('checkbox', { name: /A number goes live/ })).toBeChecked()
  await expect(form.getByRole('checkbox', { name: /A number is released/ })).not.toBeChecked()
  await expect(form.getByRole('note')).toContainText('Sandbox')
  await form.getByRole('checkbox', { name: /A number is released/ }).check()
  await expect(page.getByText('Email preferences saved')).toBeVisible()
  await page.screenshot({ path: lookAt('notification-preferences'), fullPage: true })

  await page.getByRole('link', { name: 'Numbers', exact: true }).click()
  await requestNumber(page, '537', 'Front desk')
  await expect(cardsInAreaCode(page, '537').getByTestId('phone-number-status')).toHaveText(/Live/)

  await page.getByRole('link', { name: 'Settings' }).click()
  await page.getByRole('link', { name: 'Mailbox' }).click()
  await expect(page.getByRole('heading', { name: 'Sandbox mailbox' })).toBeVisible()
  await expect(page.getByTestId('sandbox-mailbox-note')).toContainText('Nothing left this machine')
  // The mail waits for its fold window (10 s by default) before it is written.
  const mail = page.getByRole('button', { name: /\(Front desk\) is live/ })
  await expect(mail).toBeVisible({ timeout: 30_000 })
  await mail.click()
  const html = page.frameLocator('iframe[title="The mail as HTML"]')
  await expect(html.getByText('It can take calls now.')).toBeVisible()
  await expect(html.getByRole('link', { name: 'Unsubscribe' })).toBeVisible()
  await page.screenshot({ path: lookAt('sandbox-mailbox'), fullPage: true })
})

test('Vapi refusing every purchase opens an alert admins see without a reload, mailed; it closes when purchases succeed', async ({
  browser,
}) => {
  test.setTimeout(240_000)
  const smtp = await startSmtpReceiver()
  const webhookSecret = createSecret()
  const sandbox = await startSandbox({
    port: await findFreePortRun(),
    webhookSecret,
    minDelayMs: 500,
    maxDelayMs: 1_000,
  })
  const dataDir = await createDataDir()
  const app = await startApp({
    port: await findFreePort(),
    dataDir,
    env: {
      VAPI_BASE_URL: sandbox.url,
      VAPI_WEBHOOK_SECRET: webhookSecret,
      DEMO_ACCOUNTS: 'true',
      SMTP_URL: smtp.url,
      MAIL_FOLD_WINDOW_MS: '0',
      ALERT_EVALUATION_MS: '500',
    },
  })
  try {
    const adminContext = await browser.newContext({ baseURL: app.url })
    const adminPage = await adminContext.newPage()
    await signIn(adminPage, admin)
    await adminPage.getByRole('link', { name: 'Admin' }).click()
    await expect(adminPage.getByRole('heading', { name: 'Alerts' })).toBeVisible()
    // The admin lowers the Vapi rule to three failures in a row, in the page.
    const vapiRule = adminPage.getByRole('form', { name: 'Vapi fails this many purchases in a row' })
    await vapiRule.getByLabel('Threshold in failures').fill('3')
    await vapiRule.getByRole('button', { name: 'Save' }).click()
    await expect(adminPage.getByText('Alert rule saved')).toBeVisible()
    await expect(adminPage.getByTestId('open-alerts-banner')).toHaveCount(0)
    await markWindow(adminPage)

    const ownerContext = await browser.newContext({ baseURL: app.url })
    const headers = { origin: app.url }
    expect((await ownerContext.request.post('/api/auth/sign-in/email', { data: owner, headers })).status()).toBe(200)
    const faults = await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1 }),
    })
    expect(faults.status).toBe(200)
    for (let attempt = 0; attempt < 3; attempt++) {
      const refused = await ownerContext.request.post('/api/phone-numbers', { data: { areaCode: '415' }, headers })
      expect(refused.status()).toBe(503)
    }

    const banner = adminPage.getByTestId('open-alerts-banner')
    await expect(banner).toContainText('Vapi failed the last 3 purchases in a row')
    await expectSameWindow(adminPage)
    await adminPage.screenshot({ path: lookAt('admin-alert-open'), fullPage: false })
    // Everywhere in the app, admins see it under the header.
    const adminHome = await adminContext.newPage()
    await adminHome.goto('/')
    await expect(adminHome.getByTestId('open-alerts-banner')).toContainText('Vapi failed the last 3 purchases')
    await expect
      .poll(() => smtp.subjectsTo(admin.email), { timeout: 15_000 })
      .toEqual(['Alert: Vapi failed the last 3 purchases in a row'])
    expect(smtp.subjectsTo(owner.email)).toEqual([])

    await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })
    const bought = await ownerContext.request.post('/api/phone-numbers', { data: { areaCode: '415' }, headers })
    expect(bought.status()).toBe(201)
    await expect(banner).toHaveCount(0)
    await expect(adminHome.getByTestId('open-alerts-banner')).toHaveCount(0)
    await expect(adminPage.getByTestId('alert-history-row').first()).toHaveAttribute('data-status', 'closed')
    await expect(adminPage.getByTestId('alert-history-row').first()).toContainText('Vapi answered the latest purchase')
    await expectSameWindow(adminPage)
    await expect
      .poll(() => smtp.subjectsTo(admin.email), { timeout: 15_000 })
      .toEqual(['Alert: Vapi failed the last 3 purchases in a row', 'Resolved: Vapi answered the latest purchase'])
    await adminPage.screenshot({ path: lookAt('admin-alert-closed'), fullPage: true })
    await adminContext.close()
    await ownerContext.close()
  } finally {
    await app.stop()
    await sandbox.stop()
    await smtp.close()
    await rm(dataDir, { recursive: true, force: true })
  }
})
