/**
 * Whether a request failed because its client went away (closed the connection mid-body): Node reports that as
 * `Error: aborted` with code ECONNRESET, the same code a dropped Postgres connection has, so it must be told
 * apart before anything counts it as the database being down.
 */
export function isClientGone(error: unknown, request: Request): boolean {
  if (request.signal.aborted) return true
  for (let current: unknown = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const code = 'code' in current ? current.code : undefined
    const message = 'message' in current ? current.message : undefined
    if (code === 'ECONNRESET' && message === 'aborted') return true
    if (code === 'ERR_STREAM_PREMATURE_CLOSE') return true
    current = 'cause' in current ? current.cause : undefined
  }
  return false
}
