import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// `pnpm dev` runs the server and Vite with the same environment, so PORT names the server's port for both.
const apiServer = `http://localhost:${process.env.PORT ?? '3000'}`

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
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
