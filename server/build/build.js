// Builds the server to plain JavaScript for `pnpm start`: server/dist/main.js, run by `node` without tsx.
// esbuild rather than tsc: the workspace packages (@dialtone/shared, @dialtone/migrations) export TypeScript
// sources, which node cannot load, so they are bundled in; every npm dependency stays an ordinary import.
// Types are checked by `pnpm typecheck`, not here.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'

const serverDir = path.resolve(import.meta.dirname, '..')
const { dependencies = {} } = JSON.parse(readFileSync(path.join(serverDir, 'package.json'), 'utf8'))
const external = Object.keys(dependencies).filter((name) => !name.startsWith('@dialtone/'))

await build({
  absWorkingDir: serverDir,
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // `zod` from @dialtone/shared, `kysely` from @dialtone/migrations: the server's own copies, resolved at run time.
  external: [...external, ...external.map((name) => `${name}/*`)],
  logLevel: 'warning',
})
