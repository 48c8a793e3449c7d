import { expect, type Page } from '@playwright/test'
import { cards, newOwner, requestNumber, signUp, test } from './support/fixtures.ts'

/** Everything the page's sockets receive, as raw frames. */
function recordSocketFrames(page: Page): string[] {
  const frames: string[] = []
  page.on('websocket', (socket) => {
    socket.on('framereceived', (frame) => frames.push(String(frame.payload)))
  })
  return frames
}

test('two organisations in two browsers never see each other’s numbers or events', async ({ browser, baseURL }) => {
  const contextA = await browser.newContext({ baseURL })
  const contextB = await browser.newContext({ baseURL })
  try {
    const pageA = await contextA.newPage()
    const pageB = await contextB.newPage()
    const framesA = recordSocketFrames(pageA)
    const framesB = recordSocketFrames(pageB)
    await signUp(pageA, newOwner('Alpha'))
    await signUp(pageB, newOwner('Bravo'))

    await requestNumber(pageA, '415', 'Alpha line')
    await requestNumber(pageB, '212', 'Bravo line')
    const cardA = cards(pageA).first()
    const cardB = cards(pageB).first()
    await expect(cardA).toHaveAttribute('data-status', 'active', { timeout: 30_000 })
    await expect(cardB).toHaveAttribute('data-status', 'active', { timeout: 30_000 })
    const idA = await cardA.getAttribute('data-phone-number-id')
    const idB = await cardB.getAttribute('data-phone-number-id')
    if (!idA || !idB) throw new Error('cards without ids')

    // Each sees its own number only, on screen and on the wire.
    await expect(cards(pageA)).toHaveCount(1)
    await expect(cards(pageB)).toHaveCount(1)
    await expect(pageA.getByText('Bravo line')).toHaveCount(0)
    await expect(pageB.getByText('Alpha line')).toHaveCount(0)
    expect(framesA.some((frame) => frame.includes(idA))).toBe(true)
    expect(framesB.some((frame) => frame.includes(idB))).toBe(true)
    expect(framesA.some((frame) => frame.includes(idB))).toBe(false)
    expect(framesB.some((frame) => frame.includes(idA))).toBe(false)

    // Asking for the other organisation's number by id answers 404, as if it did not exist.
    expect((await pageB.request.get(`/api/phone-numbers/${idA}`)).status()).toBe(404)
    expect((await pageA.request.post(`/api/phone-numbers/${idB}/refresh`, { data: {} })).status()).toBe(404)
  } finally {
    await contextA.close()
    await contextB.close()
  }
})
