import type { Locator, Page } from '@playwright/test'
import {
  cards,
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

// Every sandbox account starts with these assistants (server/src/vapi-sandbox/sandbox-accounts.ts).
const frontDesk = 'Front desk'
const afterHours = 'After-hours line'
const appointments = 'Appointment setter'
const phone = { width: 390, height: 844 }
const desktop = { width: 1280, height: 800 }

function cardNamed(page: Page, name: string): Locator {
  return cards(page).filter({ has: page.getByRole('heading', { name, exact: true }) })
}

/** Types into an assistant picker and picks the option, as an owner with a mouse does. */
async function pickAssistant(page: Page, picker: Locator, search: string, option: string): Promise<void> {
  await picker.click()
  await picker.fill(search)
  await page.getByRole('option', { name: option, exact: true }).click()
}

/** Nothing on the page is wider than the window: no sideways scrolling on a phone. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    content: document.documentElement.scrollWidth,
    window: document.documentElement.clientWidth,
  }))
  expect(widths.content).toBeLessThanOrEqual(widths.window)
}

test('an owner picks an assistant while buying, changes it on the card, and a second tab follows without a reload', async ({
  page,
  context,
}) => {
  await signUp(page, newOwner('Answered'))
  const second = await context.newPage()
  await second.goto('/')
  await expect(connectionIndicator(second)).toHaveText(/Live/)
  await markWindow(second)

  const form = createForm(page)
  const picker = form.getByRole('combobox', { name: 'Assistant' })
  // Nobody answers until an assistant is chosen, and the form says so before anything is bought.
  await expect(picker).toHaveValue('No assistant')
  await expect(form.getByTestId('assistant-hint')).toHaveText(
    'No assistant: calls to this number will go unanswered until you choose one.',
  )
  // The keyboard path: type to filter, arrow to the match, Enter picks (and does not submit the form).
  await picker.focus()
  await picker.fill('FRONT')
  await expect(page.getByRole('option')).toHaveText([frontDesk])
  await picker.press('ArrowDown')
  await expect(picker).toHaveAttribute('aria-activedescendant', /.+/)
  await picker.press('Enter')
  await expect(picker).toHaveValue(frontDesk)
  await expect(picker).toHaveAttribute('aria-expanded', 'false')
  await expect(cards(page)).toHaveCount(0)
  await expect(form.getByTestId('assistant-hint')).toHaveText('Answers every call to this number.')

  await requestNumber(page, '537', 'Reception')
  const card = cardNamed(page, 'Reception')
  const cardInSecondTab = cardNamed(second, 'Reception')
  await expect(card.getByTestId('card-assistant')).toContainText(`Answered by ${frontDesk}`)
  await expect(cardInSecondTab.getByTestId('card-assistant')).toContainText(`Answered by ${frontDesk}`)
  await expect(card).toHaveAttribute('data-status', 'active', { timeout: 30_000 })

  // Changed in place on the card; the other tab hears it from the server.
  await card.getByRole('button', { name: 'Change the assistant for Reception' }).click()
  const cardPicker = card.getByRole('combobox', { name: 'Who answers Reception' })
  await expect(cardPicker).toBeFocused()
  await pickAssistant(page, cardPicker, 'after', afterHours)
  await expect(card.getByTestId('card-assistant')).toContainText(`Answered by ${afterHours}`)
  await expect(cardInSecondTab.getByTestId('card-assistant')).toContainText(`Answered by ${afterHours}`)
  await expect(cardInSecondTab).toHaveAttribute('data-status', 'active')

  await page.screenshot({ path: artifactPath('assistant-on-card'), fullPage: true })

  // "No assistant" is a choice too, and the card then says plainly that calls go unanswered.
  await card.getByRole('button', { name: 'Change the assistant for Reception' }).click()
  await card.getByRole('combobox', { name: 'Who answers Reception' }).press('ArrowDown')
  await page.getByRole('option', { name: 'No assistant' }).click()
  await expect(card.getByTestId('no-assistant')).toHaveText('⚠ No assistant — calls go unanswered')
  await expect(cardInSecondTab.getByTestId('no-assistant')).toBeVisible()
  await expectSameWindow(second)

  // What the tabs show is what the server stored.
  await page.reload()
  await expect(cardNamed(page, 'Reception').getByTestId('no-assistant')).toBeVisible()

  await second.setViewportSize(phone)
  await cardInSecondTab.getByRole('button', { name: 'Choose an assistant for Reception' }).click()
  await expect(cardInSecondTab.getByRole('combobox', { name: 'Who answers Reception' })).toBeFocused()
  await second.screenshot({ path: artifactPath('assistant-picker-phone'), fullPage: true })
  await expectNoSidewaysScroll(second)
  await second.keyboard.press('Escape')
  await expect(cardInSecondTab.getByRole('button', { name: 'Choose an assistant for Reception' })).toBeVisible()
})

test('three numbers get the same assistant at once; the selection clears afterwards', async ({ page }) => {
  await signUp(page, newOwner('Bulk'))
  const names = ['Line one', 'Line two', 'Line three']
  for (const name of names) {
    await requestNumber(page, '537', name)
    // The form clears once a request is made: wait for the card before typing the next one.
    await expect(cardNamed(page, name)).toHaveCount(1)
  }
  for (const name of names) await expect(cardNamed(page, name).getByTestId('no-assistant')).toBeVisible()

  const bulk = page.getByTestId('bulk-assign')
  // Select all, then one unticked and ticked again on its card.
  await bulk.getByRole('checkbox', { name: 'Select all' }).check()
  await expect(bulk).toContainText('3 numbers selected')
  await page.getByRole('checkbox', { name: 'Select Line two' }).uncheck()
  await expect(bulk).toContainText('2 numbers selected')
  await expect(bulk.getByRole('checkbox', { name: 'Select all' })).not.toBeChecked()
  await page.getByRole('checkbox', { name: 'Select Line two' }).check()
  await expect(bulk.getByRole('checkbox', { name: 'Select all' })).toBeChecked()

  const bulkPicker = bulk.getByRole('combobox', { name: 'Assistant' })
  await expect(bulk).toContainText('No assistant: calls to the selected numbers will go unanswered.')
  await pickAssistant(page, bulkPicker, 'appoint', appointments)
  await expect(bulkPicker).toHaveValue(appointments)
  await page.screenshot({ path: artifactPath('bulk-selected'), fullPage: true })

  await bulk.getByRole('button', { name: 'Assign to 3 numbers' }).click()
  await expect(bulk.getByTestId('bulk-outcome')).toContainText(`${appointments} now answers 3 numbers.`)
  for (const name of names) {
    await expect(cardNamed(page, name).getByTestId('card-assistant')).toContainText(`Answered by ${appointments}`)
    await expect(page.getByRole('checkbox', { name: `Select ${name}` })).not.toBeChecked()
  }
  await expect(bulk.getByRole('button', { name: /Assign to/ })).toHaveCount(0)
  await page.screenshot({ path: artifactPath('bulk-assigned'), fullPage: true })

  await page.setViewportSize(phone)
  await bulk.getByRole('checkbox', { name: 'Select all' }).check()
  await page.screenshot({ path: artifactPath('bulk-phone'), fullPage: true })
  await expectNoSidewaysScroll(page)
  await page.setViewportSize(desktop)
})

test('settings show the development sandbox as the Vapi account; a refused key is explained and not stored; a key can be connected and disconnected', async ({
  page,
}) => {
  await signUp(page, newOwner('Settings'))
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
  const section = page.getByTestId('vapi-connection')
  await expect(section.getByRole('heading', { name: 'Vapi account' })).toBeVisible()
  const status = section.getByTestId('vapi-connection-status')
  await expect(status).toHaveAttribute('data-source', 'sandbox')
  await expect(status).toContainText('Development sandbox')
  await expect(section.getByTestId('vapi-sandbox-note')).toContainText('nobody can call them')
  await expect(section.getByRole('button', { name: 'Disconnect' })).toHaveCount(0)

  // "invalid" is the key the sandbox refuses as Vapi does (401); the server answers 422 with its reason.
  const keyField = section.getByLabel('Vapi private key')
  await expect(keyField).toHaveAttribute('type', 'password')
  await keyField.fill('invalid')
  await section.getByRole('button', { name: 'Connect', exact: true }).click()
  const refusal = section.getByTestId('vapi-connection-error')
  // The server's 422 CONNECTION_INVALID, whole, once.
  await expect(refusal).toHaveText(
    'Vapi refused this key, so nothing was saved. Paste the private key (not the public one) from the Vapi dashboard, under API Keys.',
  )
  await expect(keyField).toHaveAttribute('aria-invalid', 'true')
  await page.screenshot({ path: artifactPath('settings-key-refused'), fullPage: true })

  // Nothing changed: after a reload the sandbox is still the account, and the key is not in the page.
  await page.reload()
  await expect(page.getByTestId('vapi-connection-status')).toHaveAttribute('data-source', 'sandbox')
  await expect(page.getByLabel('Vapi private key')).toHaveValue('')

  // The sandbox takes any other key as an account of its own: the organisation's key, shown by its last four.
  const key = `sandbox-e2e-${Date.now().toString(36)}-k9f3`
  await page.getByLabel('Vapi private key').fill(key)
  await section.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(status).toHaveAttribute('data-source', 'organization')
  await expect(status).toContainText('Your organisation’s own Vapi account')
  await expect(status).toContainText('••••k9f3')
  await expect(status).toContainText('Connected since')
  await expect(section.getByLabel('Replace with another private key')).toHaveValue('')
  expect(await page.content()).not.toContain(key)

  await section.getByRole('button', { name: 'Disconnect' }).click()
  const dialog = page.getByTestId('disconnect-vapi-dialog')
  await expect(dialog).toContainText('Numbers bought with it stay in your Vapi account and keep answering calls')
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await page.screenshot({ path: artifactPath('settings-disconnect-dialog') })
  await dialog.getByRole('button', { name: 'Disconnect' }).click()
  await expect(dialog).toBeHidden()
  // In sandbox mode the organisation gets a fresh sandbox account again.
  await expect(status).toHaveAttribute('data-source', 'sandbox')

  await page.setViewportSize(phone)
  await page.screenshot({ path: artifactPath('settings-phone'), fullPage: true })
  await expectNoSidewaysScroll(page)
})
