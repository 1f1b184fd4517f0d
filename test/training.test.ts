import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/inference/backend.js';
import { compose } from '../src/inference/compose.js';
import { ModelRegistry } from '../src/inference/registry.js';
import { DEFAULT_HYPER_PARAMETERS } from '../src/training/hyper-parameters.js';
import { trainModel } from '../src/training/train-model.js';
import { syntheticData } from './helpers/synthetic-data.js';
import { evaluateModel } from '../src/training/evaluate.js';
import type { TrainingProgress } from '../src/training/trainer.js';

const data = syntheticData();

describe('training end to end (tiny model)', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 'continuo-train-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const options = (iterations: number, resume: boolean, progress: TrainingProgress[]) => ({
    identity: { id: 'tiny', name: 'Tiny', genre: 'test', description: 'a test model' },
    data,
    hyper: { ...DEFAULT_HYPER_PARAMETERS, iterations, batchSize: 4, filters: 2, updateRatio: 2 },
    pitchLow: 28,
    pitchCount: 64,
    tempo: 90,
    runDir: join(dir, 'run'),
    modelDir: join(dir, 'models', 'tiny'),
    resume,
    evalEvery: 2,
    sampleEvery: 2,
    checkpointEvery: 2,
    onProgress: (p: TrainingProgress) => progress.push(p),
  });

  it('trains, reports progress, writes samples, a checkpoint and a loadable model folder', async () => {
    const progress: TrainingProgress[] = [];
    const card = await trainModel(options(2, false, progress));
    expect(progress.map((p) => p.iteration)).toEqual([1, 2]);
    expect(progress.every((p) => Number.isFinite(p.criticLoss) && Number.isFinite(p.generatorLoss))).toBe(true);
    expect(progress[1].metrics?.tracks).toHaveLength(4);
    expect(card.training.iterations).toBe(2);
    expect(card.training.hyperParameters.updateRatio).toBe(2);
    expect(readdirSync(join(dir, 'run', 'samples')).filter((f) => f.endsWith('.mid')).length).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'run', 'checkpoint', 'state.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'models', 'tiny', 'history.json'), 'utf8'))).toHaveLength(2);

    const registry = await ModelRegistry.load(join(dir, 'models'));
    try {
      expect(registry.ids()).toEqual(['tiny']);
      const melody = { notes: data.test[0].tracks[0], tempo: 90, timeSignature: { numerator: 4, denominator: 4 } };
      const result = await compose(registry.get('tiny'), melody, { seed: 1 });
      expect(result.arrangements[0].tracks).toHaveLength(4);
      const evaluation = await evaluateModel(registry.get('tiny'), data.test, 'synthetic test');
      expect(evaluation.real.tracks[3].inScaleRatio).toBe(1); // the bass doubles the tune an octave down
      expect(evaluation.generated.pieces).toBe(evaluation.real.pieces);
    } finally {
      registry.dispose();
    }
  });

  it('resumes from the checkpoint instead of starting again', async () => {
    const progress: TrainingProgress[] = [];
    const card = await trainModel(options(3, true, progress));
    expect(progress.map((p) => p.iteration)).toEqual([3]);
    expect(card.training.iterations).toBe(3);
    expect(JSON.parse(readFileSync(join(dir, 'run', 'history.json'), 'utf8'))).toHaveLength(3);
  });
});
