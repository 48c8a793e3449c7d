import { test as base, expect, type Locator, type Page } from '@playwright/test'
import { readSharedBaseUrl } from './base-url.ts'

export { expect }

export const test = base.extend({
  // eslint-disable-next-line no-empty-pattern
  baseURL: async ({}, use) => {
    await use(readSharedBaseUrl())
  },
})

export interface Owner {
  name: string
  email: string
  password: string
}

export function newOwner(label: string): Owner {
  const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
  return {
    name: `${label} Owner`,
    email: `${label.toLowerCase()}-${unique}@example.com`,
    password: 'correct horse battery',
  }
}

// The demo accounts main.ts creates in sandbox mode on the embedded database (DEMO_ACCOUNTS=true).
export const demoAdmin = { email: 'admin@dialtone.local', password: 'dialtone-admin' }
export const demoOwner = { email: 'owner@dialtone.local', password: 'dialtone-demo' }

/** Signs in through the form and waits for the page the account lands on. */
export async function signIn(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.goto('/sign-in')
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  // Owners land on their numbers, admins on the analytics.
  await expect(page.getByRole('heading', { name: /^(Get a number|Provisioning analytics)$/ })).toBeVisible()
}

/** Signs up through the form, as an owner does, and waits for the dashboard. */
export async function signUp(page: Page, owner: Owner): Promise<void> {
  await page.goto('/sign-up')
  await page.getByLabel('Your name').fill(owner.name)
  await page.getByLabel('Email').fill(owner.email)
  await page.getByLabel('Password').fill(owner.password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('heading', { name: 'Get a number' })).toBeVisible()
  await expect(connectionIndicator(page)).toHaveText(/Live/)
}

export function createForm(page: Page): Locator {
  return page.getByTestId('create-phone-number-form')
}

export function connectionIndicator(page: Page): Locator {
  return page.getByTestId('connection-indicator')
}

export function cards(page: Page): Locator {
  return page.getByTestId('phone-number-card')
}

export function cardsInAreaCode(page: Page, areaCode: string): Locator {
  return cards(page).filter({ hasText: `(${areaCode})` })
}

/** Types an area code and submits; picks nothing from the suggestions. */
export async function requestNumber(page: Page, areaCode: string, name?: string): Promise<void> {
  const form = createForm(page)
  await form.getByRole('combobox', { name: 'Area code' }).fill(areaCode)
  await form.getByRole('combobox', { name: 'Area code' }).press('Escape')
  if (name !== undefined) await form.getByLabel(/^Name/).fill(name)
  await form.getByRole('button', { name: 'Get number' }).click()
}

/**
 * Marks the window so a test can prove the page never reloaded: a reload makes a new window object and the
 * mark is gone.
 */
export async function markWindow(page: Page): Promise<void> {
  await page.evaluate(() => {
    Object.assign(window, { dialtoneE2eMark: 'still-the-same-page' })
  })
}

export async function expectSameWindow(page: Page): Promise<void> {
  expect(await page.evaluate(() => Reflect.get(window, 'dialtoneE2eMark') as unknown)).toBe('still-the-same-page')
}

/** A North American number in the given area code, as the card shows it. */
export function formattedNumberPattern(areaCode: string): RegExp {
  return new RegExp(`^\\+1 \\(${areaCode}\\) \\d{3}-\\d{4}$`)
}
