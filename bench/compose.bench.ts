import { performance } from 'node:perf_hooks';
import { modelsDir } from '../src/config/paths.js';
import { currentBackend } from '../src/inference/backend.js';
import { compose } from '../src/inference/compose.js';
import { ModelRegistry } from '../src/inference/registry.js';
import { arrangementToMidi } from '../src/music/midi.js';
import { sampleMelody } from '../src/music/samples.js';
import { percentile, report, round } from './stats.js';

/** compose.8bars: an 8-bar sample melody → chorale arrangement → MIDI bytes, in-process. */
export async function composeBench(runs = 100): Promise<void> {
  const registry = await ModelRegistry.load(modelsDir());
  try {
    const model = registry.get('chorale');
    const melody = sampleMelody('ode-to-joy');
    const once = async (seed: number) => arrangementToMidi((await compose(model, melody, { seed })).arrangements[0]);
    for (let i = 0; i < 10; i++) await once(i);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await once(1000 + i);
      times.push(performance.now() - t0);
    }
    report({
      bench: 'compose.8bars',
      model: 'chorale',
      backend: currentBackend()?.name,
      runs,
      p50_ms: round(percentile(times, 50)),
      p99_ms: round(percentile(times, 99)),
      mean_ms: round(times.reduce((a, b) => a + b, 0) / runs),
    });
  } finally {
    registry.dispose();
  }
}
