import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const e2eDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const repoRoot = path.resolve(e2eDir, '..')
export const artifactsDir = path.join(e2eDir, 'artifacts')
export const webDistIndex = path.join(repoRoot, 'web', 'dist', 'index.html')

export function artifactPath(name: string): string {
  return path.join(artifactsDir, `${name}.png`)
}
