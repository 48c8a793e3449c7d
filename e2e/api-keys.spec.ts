import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { expect, newOwner, signUp, test } from './support/fixtures.ts'
import { artifactsDir } from './support/paths.ts'

const shots = path.join(artifactsDir, 'api-keys')

test('make a key, see it once, copy it, use it, revoke it; the reference lists the routes', async ({
  page,
  context,
  baseURL,
}) => {
  await mkdir(shots, { recursive: true })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await signUp(page, newOwner('Keys'))
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API' }).click()
  await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible()
  await expect(page.getByText('No keys yet.')).toBeVisible()

  await page.getByLabel('Name').fill('Campaign builder')
  await page.getByRole('checkbox', { name: /numbers:write/ }).check()
  await page.getByRole('button', { name: 'Make key' }).click()
  const shown = page.getByTestId('new-api-key')
  await expect(shown).toHaveText(/^dt_test_[A-Za-z0-9_-]{43}$/)
  const key = (await shown.textContent()) ?? ''
  await expect(page.getByText('this is the only time dialtone shows it')).toBeVisible()
  await page.getByRole('button', { name: 'Copy', exact: true }).click()
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key)
  const row = page.getByRole('listitem', { name: 'API key Campaign builder' })
  await expect(row).toContainText(`${key.slice(0, 12)}…${key.slice(-4)}`)
  await expect(row).toContainText(/Last used\s*Never/)
  await page.screenshot({ path: path.join(shots, 'key-shown-once.png'), fullPage: true })

  // The key works for a program, and its use shows on the page.
  const asProgram = () => fetch(new URL('/api/phone-numbers', baseURL), { headers: { authorization: `Bearer ${key}` } })
  expect((await asProgram()).status).toBe(200)
  await page.getByRole('button', { name: 'I have saved it' }).click()
  await expect(shown).toBeHidden()
  await page.reload()
  await expect(row).not.toContainText(/Last used\s*Never/)
  await expect(page.getByTestId('new-api-key')).toHaveCount(0)

  await row.getByRole('button', { name: 'Revoke…' }).click()
  await expect(row.getByText('Programs using it are refused at once')).toBeVisible()
  await page.screenshot({ path: path.join(shots, 'revoke-confirm.png'), fullPage: true })
  await row.getByRole('button', { name: 'Yes, revoke' }).click()
  await expect(row).toContainText('Revoked')
  expect((await asProgram()).status).toBe(401)

  await page.setViewportSize({ width: 390, height: 844 })
  await page.screenshot({ path: path.join(shots, 'keys-phone.png'), fullPage: true })
  // The page itself fits the phone (the app header's tools row overflows by itself when "Notifications blocked" shows: not this page's).
  expect(await page.evaluate(() => document.querySelector('main')?.scrollWidth ?? 0)).toBeLessThanOrEqual(390)

  await page.setViewportSize({ width: 1280, height: 900 })
  await page.getByRole('link', { name: 'API reference' }).click()
  await expect(page.getByRole('heading', { name: 'API reference', level: 1 })).toBeVisible()
  const create = page.locator('#createPhoneNumber')
  await create.locator('summary').click()
  await expect(create).toContainText('POST')
  await expect(create).toContainText('/api/phone-numbers')
  await expect(create).toContainText('areaCode')
  await expect(create).toContainText('API keys with numbers:write may call it.')
  await expect(page.getByRole('heading', { name: 'Socket events' })).toBeVisible()
  const auditLog = page.locator('#listAuditLog')
  await auditLog.locator('summary').click()
  await expect(auditLog).toContainText('Needs settings:write.')
  await expect(auditLog).toContainText('Or text/csv: RFC 4180')
  await auditLog.scrollIntoViewIfNeeded()
  await page.screenshot({ path: path.join(shots, 'reference-audit-log.png') })
  await create.scrollIntoViewIfNeeded()
  await page.screenshot({ path: path.join(shots, 'reference.png') })
  await page.setViewportSize({ width: 390, height: 844 })
  await page.screenshot({ path: path.join(shots, 'reference-phone.png') })
})
