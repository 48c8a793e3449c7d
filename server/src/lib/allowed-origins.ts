/**
 * The origins browsers may use dialtone from: PUBLIC_URL's, any ALLOWED_HOSTS (host names take PUBLIC_URL's
 * scheme; full origins are taken as written), the loopback names of the port when no PUBLIC_URL was set (a
 * developer's own machine), and Vite's dev server only in development. Nothing is derived from the request's
 * own Host header, which the client writes.
 */
export function allowedOriginsFrom(input: {
  publicUrl: string
  isPublicUrlConfigured: boolean
  allowedHosts: string | undefined
  port: number
  isDevelopment: boolean
}): string[] {
  const publicOrigin = new URL(input.publicUrl).origin
  const scheme = new URL(input.publicUrl).protocol
  const extra = (input.allowedHosts ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => (entry.includes('://') ? new URL(entry).origin : new URL(`${scheme}//${entry}`).origin))
  const loopback = input.isPublicUrlConfigured
    ? []
    : [`http://localhost:${input.port}`, `http://127.0.0.1:${input.port}`]
  const development = input.isDevelopment ? ['http://localhost:5173'] : []
  return [...new Set([publicOrigin, ...extra, ...loopback, ...development])]
}

/** Whether a browser's Origin header names one of them; no Origin (a script, curl) is not a browser's request. */
export function isAllowedOrigin(allowedOrigins: readonly string[], origin: string | undefined): boolean {
  return origin === undefined || allowedOrigins.includes(origin)
}
