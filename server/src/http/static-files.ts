import { existsSync } from 'node:fs'
import path from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Hono } from 'hono'

/**
 * Serves the built web app (web/dist) when there is one: fingerprinted assets cached for a year, everything else
 * as is, and any other path (the client-side routes /sign-in, /admin, …) the app's shell.
 */
export function serveWebApp(app: Hono, distDir: string | null): void {
  if (!distDir || !existsSync(path.join(distDir, 'index.html'))) return
  const root = path.relative(process.cwd(), distDir) || '.'
  app.use(
    '/assets/*',
    serveStatic({ root, onFound: (_path, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable') }),
  )
  app.use('*', serveStatic({ root }))
  app.get('*', serveStatic({ root, path: 'index.html', onFound: (_path, c) => c.header('Cache-Control', 'no-cache') }))
}
