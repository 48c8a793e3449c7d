import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

export interface PageWeightResult {
  /** The JavaScript the numbers page loads before it runs: index.html's module script and its modulepreloads. */
  files: { path: string; bytes: number; gzip9Bytes: number; gzip6Bytes: number }[]
  bytes: number
  /** Each file gzip-compressed on its own at level 9 (and 6, a common server default), in bytes. */
  gzip9Bytes: number
  gzip6Bytes: number
}

const webRoot = path.resolve(import.meta.dirname, '..', '..', 'web')

/**
 * Builds the web app as `pnpm build` does and weighs what index.html makes the browser load at once: the entry
 * and every chunk Vite lists for modulepreload (its static imports). Pages loaded lazily (settings, admin, …)
 * are not in it; a browser check of the signed-in numbers page loads exactly these files (docs/performance.md).
 */
export async function benchPageWeight(): Promise<PageWeightResult> {
  execFileSync('pnpm', ['--filter', '@dialtone/web', 'build'], { cwd: webRoot, stdio: 'ignore' })
  const html = await readFile(path.join(webRoot, 'dist', 'index.html'), 'utf8')
  const entries = [
    ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((match) => match[1] ?? '')
  const files = await Promise.all(
    [...new Set(entries)].map(async (file) => {
      const code = await readFile(path.join(webRoot, 'dist', file))
      return {
        path: file,
        bytes: code.length,
        gzip9Bytes: gzipSync(code, { level: 9 }).length,
        gzip6Bytes: gzipSync(code, { level: 6 }).length,
      }
    }),
  )
  const sum = (pick: (file: (typeof files)[number]) => number) => files.reduce((total, file) => total + pick(file), 0)
  return {
    files,
    bytes: sum((file) => file.bytes),
    gzip9Bytes: sum((file) => file.gzip9Bytes),
    gzip6Bytes: sum((file) => file.gzip6Bytes),
  }
}
