import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

// `pnpm dev` runs the server and Vite with the same environment, so PORT names the server's port for both.
const apiServer = `http://localhost:${process.env.PORT ?? '3000'}`

/** Where `preact/…` lives, resolved from here: the aliases below also apply to dependencies that import React. */
const preact = (entry: string) => fileURLToPath(import.meta.resolve(`preact/${entry}`))

/** Libraries and modules the numbers page and every other page load: one `core` chunk (see build below). */
const coreModules = [
  /\/node_modules\/\.pnpm\/(preact@|@tanstack\+|socket\.io-|engine\.io-|@socket\.io\+)/,
  // zod's engine and its functional API (`zod/mini`), which the numbers page's schemas use; zod's full API stays
  // with the later pages whose schemas still use it.
  /\/node_modules\/\.pnpm\/zod@[^/]+\/node_modules\/zod\/(mini\/|v4\/(core|mini)\/)/,
  /\/shared\/src\/(errors|phone-number|notifications|server-info|socket-events|teams|assistants|area-codes)\.ts$/,
  /\/web\/src\/lib\/(request-json|api-error|router|link|toast)\.tsx?$/,
  // The numbers page itself, but for what it loads when first used (a new lazily loaded module in these folders
  // must be named here, or it is pulled into core).
  /\/web\/src\/(app|app-header)\.tsx$/,
  /\/web\/src\/(realtime|features\/(phone-numbers|assistants|area-codes|server-info|notifications))\/(?!release-dialog|bulk-outcome)[^/]+\.tsx?$/,
]
const isCoreModule = (id: string) => coreModules.some((pattern) => pattern.test(id.replaceAll('\\', '/')))

export default defineConfig({
  // The code is written against React's API and types; the browser runs Preact's compatible implementation of it
  // (about 11 kB gzip instead of react-dom's 64 kB: the main page's JavaScript budget, issue 19). Every import of
  // React, by dialtone or by a dependency (TanStack Query, recharts), is sent to preact/compat.
  resolve: {
    alias: [
      { find: /^react$/, replacement: preact('compat') },
      { find: /^react-dom$/, replacement: preact('compat') },
      { find: /^react-dom\/client$/, replacement: preact('compat/client') },
      { find: /^react\/jsx-runtime$/, replacement: preact('jsx-runtime') },
      { find: /^react\/jsx-dev-runtime$/, replacement: preact('jsx-runtime') },
    ],
  },
  // JSX compiles to the automatic runtime's `react/jsx-runtime` calls (tsconfig's react-jsx), aliased above.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // Browsers dialtone supports preload modules themselves; without support the links are only ignored.
    modulePreload: { polyfill: false },
    // What every page needs goes into one chunk beside the entry: left to itself the splitter made four small
    // common chunks, and separate files compress worse than one (1 kB of the budget).
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: 'core', test: (id: string) => isCoreModule(id) }] } },
    },
  },
  server: {
    port: 5173,
    proxy: {
      // The server refuses cookie mutations from origins it does not know (CSRF guard); through the proxy the
      // browser's Origin is Vite's, so it is rewritten to the server's own.
      '/api': { target: apiServer, changeOrigin: true, headers: { origin: apiServer } },
      '/webhooks': { target: apiServer, changeOrigin: true },
      '/healthz': { target: apiServer, changeOrigin: true },
      '/readyz': { target: apiServer, changeOrigin: true },
      '/socket.io': { target: apiServer, changeOrigin: true, ws: true },
    },
  },
  preview: { port: 4173 },
})
