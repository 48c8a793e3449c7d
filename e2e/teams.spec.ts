import { expect } from '@playwright/test'
import { cards, connectionIndicator, newOwner, requestNumber, signUp, test } from './support/fixtures.ts'
import { artifactPath } from './support/paths.ts'

test('an owner invites a teammate, who accepts in another browser and sees the same numbers go live', async ({
  browser,
  baseURL,
}) => {
  const ownerContext = await browser.newContext({ baseURL })
  const teammateContext = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 } })
  try {
    const ownerPage = await ownerContext.newPage()
    const owner = newOwner('Teamlead')
    await signUp(ownerPage, owner)

    // The owner invites by email, as a member, and gets a link to pass on.
    const teammate = newOwner('Teammate')
    await ownerPage.getByRole('link', { name: 'Team' }).click()
    await expect(ownerPage.getByRole('heading', { name: /^Team of/ })).toBeVisible()
    await ownerPage.getByLabel('Email').fill(teammate.email)
    await ownerPage.getByLabel('Role', { exact: true }).selectOption('member')
    await ownerPage.getByRole('button', { name: 'Send invitation' }).click()
    const link = ownerPage.getByTestId('invitation-url')
    await expect(link).toContainText('/invitations/')
    const acceptUrl = (await link.textContent()) ?? ''
    await expect(ownerPage.getByTestId('invitation-list')).toContainText(teammate.email)
    await ownerPage.screenshot({ path: artifactPath('teams-owner-invited'), fullPage: true })

    // The teammate opens the link signed out, creates their account, and lands on the invitation.
    const teammatePage = await teammateContext.newPage()
    await teammatePage.goto(new URL(acceptUrl).pathname)
    await expect(teammatePage).toHaveURL(/\/sign-in$/)
    await teammatePage.getByRole('link', { name: 'Create an account' }).click()
    await teammatePage.getByLabel('Your name').fill(teammate.name)
    await teammatePage.getByLabel('Email').fill(teammate.email)
    await teammatePage.getByLabel('Password').fill(teammate.password)
    await teammatePage.getByRole('button', { name: 'Create account' }).click()
    await expect(teammatePage.getByRole('heading', { name: 'Join a team' })).toBeVisible()
    await expect(teammatePage.getByText(`invited ${teammate.email}`)).toBeVisible()
    await teammatePage.screenshot({ path: artifactPath('teams-accept-390'), fullPage: true })
    await teammatePage.getByRole('button', { name: /^Join / }).click()

    // A member watches numbers: the buy form is replaced by the reason; the header names the organisation.
    await expect(teammatePage.getByTestId('buy-not-allowed')).toContainText('Only admins and owners buy')
    await expect(teammatePage.getByTestId('organization-switcher')).toBeVisible()
    await expect(connectionIndicator(teammatePage)).toHaveText(/Live/)

    // A number the owner buys turns live in both browsers.
    await ownerPage.getByRole('link', { name: 'Numbers', exact: true }).click()
    await requestNumber(ownerPage, '415', 'Shared line')
    const ownerCard = cards(ownerPage).filter({ hasText: 'Shared line' })
    const teammateCard = cards(teammatePage).filter({ hasText: 'Shared line' })
    await expect(teammateCard).toBeVisible()
    await expect(ownerCard).toHaveAttribute('data-status', 'active', { timeout: 30_000 })
    await expect(teammateCard).toHaveAttribute('data-status', 'active', { timeout: 30_000 })
    expect(await teammateCard.getAttribute('data-phone-number-id')).toBe(
      await ownerCard.getAttribute('data-phone-number-id'),
    )
    await expect(teammateCard.getByRole('button', { name: /^Release/ })).toBeDisabled()
    await teammatePage.screenshot({ path: artifactPath('teams-member-dashboard-390'), fullPage: true })

    // The teammate's team page is read-only; the owner's lists them.
    await teammatePage.goto('/settings/team')
    await expect(teammatePage.getByTestId('team-read-only')).toBeVisible()
    await expect(teammatePage.getByRole('button', { name: 'Send invitation' })).toHaveCount(0)
    await teammatePage.screenshot({ path: artifactPath('teams-member-team-390'), fullPage: true })
    await ownerPage.getByRole('link', { name: 'Team', exact: true }).click()
    await expect(ownerPage.getByTestId('member-list')).toContainText(teammate.email)
    await ownerPage.screenshot({ path: artifactPath('teams-owner-team'), fullPage: true })

    // The audit log names who did what.
    await ownerPage.getByRole('link', { name: 'Audit log' }).click()
    const table = ownerPage.getByTestId('audit-table')
    await expect(table.locator('tr[data-action="phone-number.purchase"]')).toContainText(owner.email)
    await expect(table.locator('tr[data-action="invitation.accept"]')).toContainText(teammate.email)
    const download = ownerPage.waitForEvent('download')
    await ownerPage.getByRole('link', { name: 'Download CSV' }).click()
    expect((await download).suggestedFilename()).toBe('dialtone-audit-log.csv')
    await ownerPage.screenshot({ path: artifactPath('teams-audit-log'), fullPage: true })
    // An owner on a phone: five navigation entries and the audit table fit the width.
    await ownerPage.setViewportSize({ width: 390, height: 844 })
    expect(await ownerPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await ownerPage.screenshot({ path: artifactPath('teams-audit-log-390'), fullPage: true })
    await ownerPage.setViewportSize({ width: 1280, height: 800 })

    // Removing the teammate ends their live connection at once; they fall back to their own organisation.
    await ownerPage.goto('/settings/team')
    const row = ownerPage.getByTestId('member-row').filter({ hasText: teammate.email })
    await row.getByRole('button', { name: 'Remove' }).click()
    await row.getByRole('button', { name: 'Remove', exact: true }).click()
    await expect(ownerPage.getByTestId('member-list')).not.toContainText(teammate.email)
    await teammatePage.goto('/')
    await expect(cards(teammatePage).filter({ hasText: 'Shared line' })).toHaveCount(0)
    await expect(teammatePage.getByRole('heading', { name: 'Get a number' })).toBeVisible()
  } finally {
    await ownerContext.close()
    await teammateContext.close()
  }
})
