export interface BackgroundLoop {
  /** Cuts the current sleep short: something is due now. */
  wake(): void
  /** Finishes the round in progress, then stops. */
  stop(): Promise<void>
}

/**
 * Runs `round` again and again until stopped, sleeping as long as each round asks (0: go again at once).
 * A round that throws (the database away, …) is reported and the loop goes on after `idleMs`.
 */
export function startBackgroundLoop(input: {
  round: () => Promise<number>
  idleMs: number
  onError: (error: unknown) => void
}): BackgroundLoop {
  let isStopping = false
  let wakeSleeper: (() => void) | null = null

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wakeSleeper = null
        resolve()
      }, ms)
      wakeSleeper = () => {
        clearTimeout(timer)
        wakeSleeper = null
        resolve()
      }
    })

  const loop = async () => {
    while (!isStopping) {
      let sleepMs = input.idleMs
      try {
        sleepMs = await input.round()
      } catch (error) {
        input.onError(error)
      }
      if (!isStopping && sleepMs > 0) await sleep(sleepMs)
    }
  }
  const running = loop()

  return {
    wake: () => wakeSleeper?.(),
    stop: async () => {
      isStopping = true
      wakeSleeper?.()
      await running
    },
  }
}
