import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { modelsDir } from '../src/config/paths.js';
import { currentBackend, initBackend } from '../src/inference/backend.js';
import type { ModelCard } from '../src/inference/model-card.js';
import { jsbTrainingData } from '../src/training/datasets/jsb-chorales.js';
import { DEFAULT_HYPER_PARAMETERS } from '../src/training/hyper-parameters.js';
import { GanTrainer } from '../src/training/trainer.js';
import { windowsOf } from '../src/training/dataset.js';
import { report, round } from './stats.js';

const JSB = join(process.cwd(), '..', 'shared', 'datasets', 'jsb_chorales', 'Jsb16thSeparated.json');

/**
 * train.iteration: wall time of one training iteration (update ratio 5, batch 64, default size) on the
 * JSB chorales, and the shipped chorale model's own training time from its card.
 */
export async function trainBench(iterations = 3): Promise<void> {
  await initBackend();
  if (!existsSync(JSB)) {
    report({ bench: 'train.iteration', skipped: `JSB chorales not found at ${JSB}` });
  } else {
    const data = await jsbTrainingData(JSB);
    const hyper = { ...DEFAULT_HYPER_PARAMETERS, iterations: iterations + 1 };
    const spec = { steps: 32, pitches: 64, tracks: 4, filters: hyper.filters, noiseChannels: 8 * hyper.filters };
    const dir = await mkdtemp(join(tmpdir(), 'continuo-bench-'));
    const times: number[] = [];
    let last = performance.now();
    const trainer = new GanTrainer({
      hyper, spec, pitchLow: 28, stepsPerBar: 16, tracks: data.tracks, tempo: 100, pieces: data.train,
      windows: windowsOf(data.train, { steps: 32, hop: 4, maxMelodyRest: 0.5, pitchLow: 28, pitchCount: 64 }),
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
      backend: currentBackend()?.name,
      update_ratio: hyper.updateRatio,
      batch: hyper.batchSize,
      filters: hyper.filters,
      iterations: measured.length,
      ms_per_iteration: round(measured.reduce((a, b) => a + b, 0) / measured.length, 0),
    });
  }
  const cardFile = join(modelsDir(), 'chorale', 'card.json');
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
