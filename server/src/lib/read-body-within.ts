/**
 * The request's body, or null when it has not all arrived within timeoutMs: a sender trickling bytes must not
 * hold a connection (and a handler) for the server's whole request timeout.
 */
export async function readBodyWithin(read: () => Promise<ArrayBuffer>, timeoutMs: number): Promise<Uint8Array | null> {
  let timer: NodeJS.Timeout | undefined
  const body = read().then((buffer) => new Uint8Array(buffer))
  // Once given up on, the read fails when the connection closes; nobody is waiting for it any more.
  body.catch(() => {})
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs)
  })
  try {
    return await Promise.race([body, timedOut])
  } finally {
    clearTimeout(timer)
  }
}
