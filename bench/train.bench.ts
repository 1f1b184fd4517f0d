import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/config.js';
import { shippedModelsDir } from '../src/config/paths.js';
import { currentBackend, initBackend } from '../src/inference/backend.js';
import type { ModelCard } from '../src/inference/model-card.js';
import type { Note } from '../src/music/melody.js';
import { JSB_TRACKS } from '../src/training/datasets/jsb-chorales.js';
import { DEFAULT_HYPER_PARAMETERS } from '../src/training/hyper-parameters.js';
import { GanTrainer } from '../src/training/trainer.js';
import { windowsOf, type Piece } from '../src/training/dataset.js';
import { report, round } from './stats.js';

/**
 * Chorale-shaped pieces made here, so that the bench needs no data set: 16 bars of four voices (a
 * soprano walking a scale over alto, tenor and bass a third, a fifth and two octaves below). An
 * iteration's cost depends on the window size and the batch, not on which notes the windows hold.
 */
function syntheticChorales(count = 8): Piece[] {
  const tune = [0, 2, 4, 5, 7, 5, 4, 2, 0, 4, 7, 12, 7, 4, 2, 0];
  return Array.from({ length: count }, (_, k) => {
    const root = 62 + (k % 5);
    const voice = (below: number): Note[] =>
      Array.from({ length: 64 }, (_, i) => ({ pitch: root + tune[(i + k) % tune.length] - below, start: i * 4, duration: 4, velocity: 90 }));
    return { id: `synthetic-${k}`, steps: 256, tracks: [voice(0), voice(3), voice(7), voice(24)] };
  });
}

/** train.iteration: wall time of one training iteration (update ratio 5, batch 64, default size). */
async function iterationBench(iterations: number): Promise<void> {
  const pieces = syntheticChorales();
  const hyper = { ...DEFAULT_HYPER_PARAMETERS, iterations: iterations + 1 };
  const spec = { steps: 32, pitches: 64, tracks: 4, filters: hyper.filters, noiseChannels: 8 * hyper.filters };
  const dir = await mkdtemp(join(tmpdir(), 'continuo-bench-'));
  const times: number[] = [];
  let last = performance.now();
  const trainer = new GanTrainer({
    hyper, card: { network: spec, pitchLow: 28, tracks: JSB_TRACKS.map((t) => ({ ...t })), threshold: 0 },
    stepsPerBar: 16, timeSignature: { numerator: 4, denominator: 4 }, tempo: 100, pieces,
    windows: windowsOf(pieces, { steps: 32, hop: 4, maxMelodyRest: 0.5, pitchLow: 28, pitchCount: 64 }),
    evalWindows: [], outDir: dir, evalEvery: 1e9, sampleEvery: 1e9, checkpointEvery: 1e9,
    onProgress: () => {
      const now = performance.now();
      times.push(now - last);
      last = now;
    },
  });
  try {
    await trainer.init(false);
    last = performance.now();
    await trainer.run();
  } finally {
    trainer.dispose();
    await rm(dir, { recursive: true, force: true });
  }
  const measured = times.slice(1); // the first iteration includes kernel warm-up
  report({
    bench: 'train.iteration',
    data: `synthetic, ${pieces.length} four-voice pieces`,
    backend: currentBackend()?.name,
    update_ratio: hyper.updateRatio,
    batch: hyper.batchSize,
    filters: hyper.filters,
    iterations: measured.length,
    ms_per_iteration: round(measured.reduce((a, b) => a + b, 0) / measured.length, 0),
  });
}

/**
 * train.iteration on synthetic chorale windows (no data set needed), and the shipped chorale model's
 * own training time from its card.
 */
export async function trainBench(iterations = 3): Promise<void> {
  await initBackend(loadConfig().backend);
  await iterationBench(iterations);
  const cardFile = join(shippedModelsDir(), 'chorale', 'card.json');
  if (existsSync(cardFile)) {
    const card = JSON.parse(await readFile(cardFile, 'utf8')) as ModelCard;
    report({
      bench: 'train.shipped_model',
      model: card.id,
      iterations: card.training.iterations,
      batch: card.training.hyperParameters.batchSize,
      seconds: card.training.seconds,
      backend: card.training.backend,
    });
  }
}
