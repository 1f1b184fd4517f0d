import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { shippedModelsDir } from '../src/config/paths.js';
import { currentBackend } from '../src/inference/backend.js';
import { compose, meterFits } from '../src/inference/compose.js';
import { ModelRegistry } from '../src/inference/registry.js';
import { arrangementToMidi } from '../src/music/midi.js';
import { sampleMelody } from '../src/music/samples.js';
import { percentile, report, round } from './stats.js';
import { COMMON_TIME } from '../src/music/melody.js';
import { parseNotation } from '../src/music/notation.js';

const WASHERWOMAN = 'time=6/8 tempo=110 G4/8 | B4 G4 G4 D4 G4 G4 | B4 G4 B4 D5 C5 B4 | C5 A4 A4 E4 A4 A4 | C5 A4 C5 E5 D5 C5 | B4 G4 G4 D4 G4 G4 | B4 G4 B4 D5 C5 B4 | C5 B4 C5 A4 D5 C5 | B4 G4 G4 G4/4. |]';

/**
 * compose.8bars: an 8-bar sample melody → arrangement → MIDI bytes, in-process, for every installed
 * model. The models take turns within each round, so that they are compared under the same load.
 * Besides wall-clock time, each run's CPU time (user + system of the process; the composition runs on
 * this thread), which other load on the machine barely changes, and the load average during the runs.
 */
export async function composeBench(runs = 100): Promise<void> {
  const registry = await ModelRegistry.load(shippedModelsDir());
  try {
    const models = registry.list();
    // Ode to Joy, or for models of other meters the first strain of "The Irish Washerwoman" (8 bars of 6/8).
    const melodies = models.map((m) => (meterFits(m.card, COMMON_TIME) ? sampleMelody('ode-to-joy') : parseNotation(WASHERWOMAN)));
    const once = async (index: number, seed: number) => arrangementToMidi((await compose(models[index], melodies[index], { seed })).arrangements[0]);
    for (let i = 0; i < 10; i++) for (let m = 0; m < models.length; m++) await once(m, i);
    const times = models.map(() => [] as number[]);
    const cpu = models.map(() => [] as number[]);
    for (let i = 0; i < runs; i++) {
      for (let m = 0; m < models.length; m++) {
        const [t0, c0] = [performance.now(), process.cpuUsage()];
        await once(m, 1000 + i);
        const used = process.cpuUsage(c0);
        times[m].push(performance.now() - t0);
        cpu[m].push((used.user + used.system) / 1000);
      }
    }
    models.forEach((model, m) => {
      report({
        bench: 'compose.8bars',
        model: model.card.id,
        backend: currentBackend()?.name,
        runs,
        p50_ms: round(percentile(times[m], 50)),
        p99_ms: round(percentile(times[m], 99)),
        mean_ms: round(times[m].reduce((a, b) => a + b, 0) / runs),
        cpu_p50_ms: round(percentile(cpu[m], 50)),
        load_average: round(loadavg()[0]),
      });
    });
  } finally {
    registry.dispose();
  }
}
