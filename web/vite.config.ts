import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The studio: built into dist/web, which the service serves at `/` (src/graphql/studio-routes.ts). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The synthesizer's worklet is loaded by URL, never inlined as a data: URL.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true }, '/files': 'http://127.0.0.1:4000', '/studio': 'http://127.0.0.1:4000' },
  },
});
