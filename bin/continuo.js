#!/usr/bin/env node
import { existsSync } from 'node:fs';

// The command line runs the compiled code; a fresh clone has none until it is built.
const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('continuo: not built yet; run `npm run build` first (`npm start` and `npm test` build too)\n');
  process.exit(1);
}
await import(main.href);
