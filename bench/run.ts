import { apiBench } from './api.bench.js';
import { composeBench } from './compose.bench.js';
import { renderBench } from './render.bench.js';
import { trainBench } from './train.bench.js';

/** `npm run bench [name…]`: every benchmark, or the named ones (compose, api, render, train). */
const benches: Record<string, () => Promise<void>> = { compose: () => composeBench(), api: () => apiBench(), render: () => renderBench(), train: () => trainBench() };
const chosen = process.argv.slice(2);
for (const name of chosen.length ? chosen : Object.keys(benches)) {
  const bench = benches[name];
  if (!bench) throw new Error(`no benchmark '${name}'; choose from ${Object.keys(benches).join(', ')}`);
  await bench();
}
