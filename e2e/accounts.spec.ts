import { expect, newOwner, signUp, test } from './support/fixtures.ts'

test('sign out, a wrong password is explained, the right one signs back in', async ({ page }) => {
  const owner = newOwner('Account')
  await signUp(page, owner)
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/sign-in$/)
  await expect(page.getByRole('heading', { name: 'Sign in to dialtone' })).toBeVisible()

  // The dashboard is not reachable signed out.
  await page.goto('/')
  await expect(page).toHaveURL(/\/sign-in$/)

  await page.getByLabel('Email').fill(owner.email)
  await page.getByLabel('Password').fill('not the password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toHaveText(/do not match an account/)

  await page.getByLabel('Password').fill(owner.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Get a number' })).toBeVisible()
  await expect(page).toHaveURL(/\/$/)
  await expect(page).toHaveTitle('Your numbers · dialtone')

  // The analytics page is for platform admins only: an owner sees no link, and the address leads home.
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0)
  await page.goto('/admin')
  await expect(page).toHaveURL(/\/$/)
  await expect(page.getByRole('heading', { name: 'Get a number' })).toBeVisible()
})

test('signing up twice with one email says the account may exist; a short password is caught before sending', async ({
  page,
}) => {
  const owner = newOwner('Twice')
  await signUp(page, owner)
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('link', { name: 'Create an account' }).click()
  await page.getByLabel('Your name').fill(owner.name)
  await page.getByLabel('Email').fill(owner.email)
  await page.getByLabel('Password').fill('short')
  await page.getByLabel('Password').blur()
  await expect(page.getByText('Use at least 8 characters (3 more).')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Create account' })).toBeDisabled()
  await page.getByLabel('Password').fill(owner.password)
  await page.getByRole('button', { name: 'Create account' }).click()
  // The server answers a taken email like a new account (it tells nobody who has one); the page sees no session.
  await expect(page.getByRole('alert')).toHaveText(/account with this email may already exist/)
})
