// Errors that mean "Postgres is not there right now" (restart, network, pool exhausted), as opposed to a bad query.
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
])

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') return false
    const code = 'code' in current ? String(current.code) : ''
    const message = 'message' in current ? String(current.message) : ''
    if (unavailableCodes.has(code)) return true
    if (
      /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Client has encountered a connection error/i.test(
        message,
      )
    ) {
      return true
    }
    current = 'cause' in current ? current.cause : undefined
  }
  return false
}
