import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { cards, expect, newOwner, requestNumber, signUp, test } from './support/fixtures.ts'
import { artifactsDir } from './support/paths.ts'

/** A receiver on a loopback port, as an owner's system would be: records what arrives and answers 200. */
async function startReceiver() {
  const received: { headers: IncomingHttpHeaders; body: string }[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
      response.writeHead(200, { 'content-type': 'text/plain' })
      response.end('thanks, got it')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/dialtone`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

test('register an endpoint, buy a number: the deliveries appear in the log, signed, as the receiver got them', async ({
  page,
}) => {
  const receiver = await startReceiver()
  try {
    await signUp(page, newOwner('Hooks'))
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click()
    await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible()
    await expect(page.getByText('No endpoints yet.')).toBeVisible()

    await page.getByLabel('Endpoint URL').fill(receiver.url)
    await page.getByRole('checkbox', { name: /phone-number\.released/ }).uncheck()
    await page.getByRole('button', { name: 'Add endpoint' }).click()
    const secret = page.getByTestId('webhook-secret')
    await expect(secret).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/)
    const endpoint = page.getByTestId('webhook-endpoint')
    await expect(endpoint.getByRole('heading', { name: receiver.url })).toBeVisible()
    await expect(endpoint).toContainText('Enabled')
    await expect(endpoint).not.toContainText('phone-number.released')
    await mkdir(path.join(artifactsDir, 'tmp'), { recursive: true })
    await page.screenshot({ path: path.join(artifactsDir, 'tmp', 'webhooks-secret.png') })
    await page.getByRole('button', { name: 'I have saved it' }).click()
    await expect(secret).toBeHidden()

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Numbers' }).click()
    await requestNumber(page, '415', 'Front desk')
    await expect(cards(page).first()).toHaveAttribute('data-status', 'active', { timeout: 30_000 })

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click()
    const deliveries = page.getByTestId('webhook-delivery')
    await expect(deliveries).toHaveCount(2, { timeout: 15_000 })
    const live = deliveries.filter({ hasText: 'phone-number.live' })
    await expect(live).toContainText('Delivered')
    await expect(live).toContainText('200')
    await expect(live).toContainText('thanks, got it')
    await expect(live).toContainText(/\d+ ms/)
    await expect(deliveries.filter({ hasText: 'phone-number.updated' })).toContainText('Delivered')

    // What the log shows is what the receiver got: the same webhook-id, a Standard Webhooks signature.
    expect(receiver.received).toHaveLength(2)
    const shownIds = await page.locator('.delivery-id').allTextContents()
    expect(receiver.received.map((webhook) => webhook.headers['webhook-id']).sort()).toEqual(shownIds.sort())
    for (const webhook of receiver.received) {
      expect(webhook.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/)
      expect(JSON.parse(webhook.body)).toMatchObject({ data: { name: 'Front desk', areaCode: '415' } })
    }

    await live.getByRole('button', { name: 'Send again' }).click()
    await expect(live.locator('.delivery-attempts li')).toHaveCount(2, { timeout: 15_000 })
    expect(receiver.received).toHaveLength(3)

    await page.mouse.move(0, 0)
    await page.screenshot({ path: path.join(artifactsDir, 'tmp', 'webhooks.png'), fullPage: true })
  } finally {
    await receiver.close()
  }
})
