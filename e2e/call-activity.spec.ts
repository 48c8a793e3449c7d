import type { Page } from '@playwright/test'
import {
  cardsInAreaCode,
  connectionIndicator,
  createForm,
  expect,
  expectSameWindow,
  markWindow,
  newOwner,
  requestNumber,
  signUp,
  test,
} from './support/fixtures.ts'
import { artifactPath } from './support/paths.ts'

/** Area code 537: the sandbox assigns it within a second. */
const fastAreaCode = '537'

function liveCard(page: Page) {
  return cardsInAreaCode(page, fastAreaCode).and(page.locator('[data-status="active"]'))
}

async function numberWithAssistant(page: Page): Promise<void> {
  const picker = createForm(page).getByRole('combobox', { name: 'Assistant' })
  await picker.click()
  await picker.fill('Front')
  await page.getByRole('option', { name: 'Front desk', exact: true }).click()
  await requestNumber(page, fastAreaCode, 'Reception')
  await expect(liveCard(page)).toHaveCount(1)
}

test('a sandbox test call rings the card, runs a timer, ends by itself in two tabs, and its messages are in the webhook log, where processing one again changes nothing', async ({
  page,
  context,
}) => {
  await signUp(page, newOwner('Caller'))
  await numberWithAssistant(page)
  const card = liveCard(page).first()
  const activity = card.getByTestId('call-activity')
  await expect(activity).toHaveAttribute('data-call-state', 'idle')
  await expect(card.getByTestId('calls-today')).toHaveText('0 calls today')

  const second = await context.newPage()
  await second.goto('/')
  await expect(connectionIndicator(second)).toHaveText(/Live/)
  await markWindow(second)
  await markWindow(page)
  const otherActivity = liveCard(second).first().getByTestId('call-activity')

  await card.getByRole('button', { name: /^Place a test call/ }).click()
  // Ringing (about a second), then on a call with a clock that runs, in both tabs, without a reload.
  await expect(activity).toHaveAttribute('data-call-state', 'ringing')
  await expect(otherActivity).toHaveAttribute('data-call-state', /ringing|in-call/)
  await expect(activity).toHaveAttribute('data-call-state', 'in-call')
  await expect(otherActivity).toHaveAttribute('data-call-state', 'in-call')
  const timer = card.getByTestId('call-timer')
  await expect(timer).toHaveText(/^0:0[0-9]$/)
  const firstReading = await timer.textContent()
  await expect(timer).not.toHaveText(firstReading ?? '')
  await expect(card.getByRole('button', { name: /^Place a test call/ })).toBeDisabled()
  await page.waitForTimeout(1_500)
  await card.screenshot({ path: artifactPath('call-card-in-call') })

  // The sandbox's call (8 s) ends by itself: the card says how, counts it, and shows the proof.
  await expect(activity).toHaveAttribute('data-call-state', 'idle', { timeout: 20_000 })
  await expect(otherActivity).toHaveAttribute('data-call-state', 'idle')
  await expect(card.getByTestId('calls-today')).toHaveText('1 call today')
  await expect(liveCard(second).first().getByTestId('calls-today')).toHaveText('1 call today')
  await expect(card.getByTestId('last-ended-reason')).toHaveText('Ended: the caller hung up')
  await expect(card.getByTestId('answered-badge')).toBeVisible()
  await card.screenshot({ path: artifactPath('call-card-after') })
  await expectSameWindow(page)
  await expectSameWindow(second)

  // The number's messages, from the card.
  await card.getByRole('link', { name: /^Messages received about/ }).click()
  await expect(page.getByRole('heading', { name: 'Webhook log' })).toBeVisible()
  await expect(page.getByText('Showing one number’s messages.')).toBeVisible()
  const rows = page.getByTestId('webhook-log-row')
  await expect(rows.filter({ has: page.locator('text=end-of-call-report') })).toHaveCount(1)
  const applied = page.locator('tr[data-type="status-update"][data-outcome="applied"]')
  await expect(applied).not.toHaveCount(0)
  const wentLive = page.locator('tr[data-type="phone-number-status-update"][data-outcome="transitioned"]')
  await expect(wentLive).toHaveCount(1)

  // The payload: the call is there, credentials are not.
  const endOfCall = page.locator('tr[data-type="end-of-call-report"]')
  await endOfCall.getByRole('button', { name: 'Payload' }).click()
  const payload = page.getByTestId('webhook-log-payload')
  await expect(payload).toContainText('"endedReason": "customer-ended-call"')
  await expect(payload).not.toContainText('x-signature')
  await page.screenshot({ path: artifactPath('webhook-log'), fullPage: false })

  // Processing the status update that changed the call again changes nothing: the card keeps one call.
  const versionBefore = await page.evaluate(async () => {
    const response = await fetch('/api/phone-numbers?limit=5')
    const body = (await response.json()) as { items: { version: number }[] }
    return body.items[0]?.version ?? 0
  })
  const target = applied.first()
  await target.getByRole('button', { name: /again$/ }).click()
  await expect(page.getByText(/^Processed again:/)).toBeVisible()
  await expect(page.locator('[data-testid="reprocessed"]').first()).toContainText('processed again ×1')
  const versionAfter = await page.evaluate(async () => {
    const response = await fetch('/api/phone-numbers?limit=5')
    const body = (await response.json()) as { items: { version: number }[] }
    return body.items[0]?.version ?? 0
  })
  expect(versionAfter).toBe(versionBefore)
  await expect(liveCard(second).first().getByTestId('calls-today')).toHaveText('1 call today')

  // Everything since an hour ago, again: still nothing changes.
  await page.getByRole('button', { name: 'Process again', exact: true }).first().click()
  await expect(page.getByText(/^Processed \d+ messages again:/)).toBeVisible()
  await expect(page.getByText(/^Processed \d+ messages again:/)).not.toContainText('updated the call')
  await expect(liveCard(second).first().getByTestId('calls-today')).toHaveText('1 call today')
})

test('call events in settings: a clear error, nothing saved; then saved with the credential shown only as a hint', async ({
  page,
}) => {
  await signUp(page, newOwner('Relay'))
  await page.goto('/settings')
  const section = page.getByTestId('call-events')
  await expect(section.getByRole('heading', { name: 'Call events' })).toBeVisible()
  await section.getByRole('checkbox', { name: /Receive call events/ }).check()
  await section.getByLabel('Your server’s URL').fill('https://relay.example.com/vapi')
  await section.getByLabel('How your server checks it is Vapi').selectOption('bearer')
  await section.getByRole('button', { name: 'Save call events' }).click()
  await expect(section.getByTestId('call-events-error')).toHaveText(
    'Enter the token your server expects. Nothing was saved.',
  )
  await section.getByLabel('Token').fill('relay-token-7f3a')
  await expect(section.getByTestId('call-events-error')).toHaveCount(0)
  await section
    .getByLabel('When your server fails or is slow to say who answers')
    .selectOption({ label: 'Answer with Front desk' })
  await section.getByRole('button', { name: 'Save call events' }).click()
  // The server checks the address before it stores anything, and the form says why.
  await expect(section.getByTestId('call-events-error')).toHaveText(
    /could not resolve relay\.example\.com.*Nothing was saved\.$/,
  )
  await section.getByLabel('Your server’s URL').fill('http://127.0.0.1:9/vapi')
  await section.getByRole('button', { name: 'Save call events' }).click()
  await expect(page.getByText('Call events on', { exact: true })).toBeVisible()
  await expect(section.getByTestId('call-events-credential')).toHaveValue('')
  await expect(section.getByTestId('call-events-credential')).toHaveAttribute(
    'placeholder',
    '••••7f3a saved — type to replace',
  )
  await page.reload()
  await expect(section.getByRole('checkbox', { name: /Receive call events/ })).toBeChecked()
  await expect(section.getByLabel('Your server’s URL')).toHaveValue('http://127.0.0.1:9/vapi')
  await section.screenshot({ path: artifactPath('call-events-settings') })
})
