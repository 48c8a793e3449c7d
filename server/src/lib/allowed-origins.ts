/**
 * The origins browsers may use dialtone from: PUBLIC_URL's, any ALLOWED_HOSTS (host names take PUBLIC_URL's
 * scheme; full origins are taken as written), and only when no PUBLIC_URL was set (a developer's own machine) the
 * loopback names of the port and, in development (`pnpm dev`), Vite's dev server. Nothing is derived from the request's
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
  if (input.isPublicUrlConfigured) return [...new Set([publicOrigin, ...extra])]
  // A developer's machine: NODE_ENV defaults to development, so a deployment that sets PUBLIC_URL never gets here.
  const loopback = [`http://localhost:${input.port}`, `http://127.0.0.1:${input.port}`]
  const development = input.isDevelopment ? ['http://localhost:5173'] : []
  return [...new Set([publicOrigin, ...extra, ...loopback, ...development])]
}

/** Whether a browser's Origin header names one of them; no Origin (a script, curl) is not a browser's request. */
export function isAllowedOrigin(allowedOrigins: readonly string[], origin: string | undefined): boolean {
  return origin === undefined || allowedOrigins.includes(origin)
}
