export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)]

/** `loops` workers that together start about `perSecond` operations a second until the deadline (or it says so). */
export async function paced(
  loops: number,
  perSecond: number,
  deadline: number | (() => number),
  operation: () => Promise<void>,
) {
  const until = typeof deadline === 'number' ? () => deadline : deadline
  const intervalMs = (1000 * loops) / perSecond
  await Promise.all(
    Array.from({ length: loops }, async (_, index) => {
      await sleep((intervalMs * index) / loops)
      while (Date.now() < until()) {
        const startedAt = Date.now()
        await operation()
        await sleep(Math.max(0, intervalMs - (Date.now() - startedAt)))
      }
    }),
  )
}
