import { rm } from 'node:fs/promises'
import {
  cards,
  connectionIndicator,
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
import {
  createDataDir,
  createSecret,
  findFreePort,
  findFreePortRun,
  startApp,
  startSandbox,
  type RunningProcess,
} from './support/processes.ts'

test('the server restarts while a number is pending: the page reconnects and shows it live', async ({ browser }) => {
  // A server of its own, pointed at a separate sandbox process, so the sandbox (and the number it is about to
  // assign) outlives the restart. Same port and data directory after the restart, as with a real deploy.
  const webhookSecret = createSecret()
  const sandbox = await startSandbox({
    port: await findFreePortRun(),
    webhookSecret,
    minDelayMs: 6_000,
    maxDelayMs: 7_000,
  })
  const port = await findFreePort()
  const dataDir = await createDataDir()
  const appOptions = { port, dataDir, env: { VAPI_BASE_URL: sandbox.url, VAPI_WEBHOOK_SECRET: webhookSecret } }
  let app: RunningProcess | null = await startApp(appOptions)
  const context = await browser.newContext({ baseURL: app.url })
  try {
    const page = await context.newPage()
    await signUp(page, newOwner('Restart'))
    await markWindow(page)
    await requestNumber(page, '646', 'Survives restarts')
    const card = cards(page).first()
    await expect(card).toHaveAttribute('data-status', 'pending')

    await app.stop()
    app = null
    await expect(connectionIndicator(page)).toHaveText(/Reconnecting…/)
    await expect(card).toHaveAttribute('data-status', 'pending')
    await page.screenshot({ path: artifactPath('reconnecting') })

    // The sandbox assigns the number while dialtone is down; its webhook finds nobody listening.
    await expect
      .poll(
        async () => {
          const response = await fetch(`${sandbox.url}/_sandbox/phone-numbers`)
          return JSON.stringify(await response.json())
        },
        { timeout: 20_000 },
      )
      .toMatch(/\+1646\d{7}/)

    app = await startApp(appOptions)
    await expect(connectionIndicator(page)).toHaveText(/Live/, { timeout: 30_000 })
    await expect(card).toHaveAttribute('data-status', 'active', { timeout: 45_000 })
    await expect(card.getByTestId('phone-number-value')).toHaveText(formattedNumberPattern('646'))
    await expectSameWindow(page)
  } finally {
    await context.close()
    await app?.stop()
    await sandbox.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
})

test('the browser goes offline and comes back: the list catches up', async ({ page, context }) => {
  await signUp(page, newOwner('Offline'))
  await markWindow(page)
  await requestNumber(page, '718', 'Goes live offline')
  const card = cards(page).first()
  await expect(card).toHaveAttribute('data-status', 'pending')

  await context.setOffline(true)
  await expect(connectionIndicator(page)).toHaveText(/Offline/)
  // The shared server's sandbox assigns within 3 s; wait past that while the browser cannot hear it.
  await page.waitForTimeout(4_500)
  await expect(card).toHaveAttribute('data-status', 'pending')

  await context.setOffline(false)
  await expect(connectionIndicator(page)).toHaveText(/Live/, { timeout: 20_000 })
  await expect(card).toHaveAttribute('data-status', 'active', { timeout: 20_000 })
  await expect(card.getByTestId('phone-number-value')).toHaveText(formattedNumberPattern('718'))
  await expectSameWindow(page)
})
