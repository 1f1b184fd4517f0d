import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The studio and the GraphQL IDE: built into dist/web, which the service serves at `/` and `/graphql`. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The synthesizer's worklet is loaded by URL, never inlined as a data: URL.
    assetsInlineLimit: 0,
    // The IDE's editor (Monaco) is one large chunk; it loads only on the IDE page.
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      // The studio, and the GraphQL IDE that /graphql serves to a browser (src/graphql/ide-routes.ts).
      input: { studio: fileURLToPath(new URL('index.html', import.meta.url)), ide: fileURLToPath(new URL('ide.html', import.meta.url)) },
      onwarn(warning, warn) {
        // React libraries mark modules "use client" for server rendering, which a browser bundle has no use for.
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true }, '/files': 'http://127.0.0.1:4000', '/studio': 'http://127.0.0.1:4000' },
  },
});
