import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/inference/backend.js';
import { compose } from '../src/inference/compose.js';
import { ModelRegistry } from '../src/inference/registry.js';
import type { Note } from '../src/music/melody.js';
import type { Piece } from '../src/training/dataset.js';
import { DEFAULT_HYPER_PARAMETERS } from '../src/training/hyper-parameters.js';
import { trainModel, type TrainingData } from '../src/training/train-model.js';
import { evaluateModel } from '../src/training/evaluate.js';
import type { TrainingProgress } from '../src/training/trainer.js';

/** Little four-voice pieces: a scale tune over a third, a fifth and an octave below. */
function piece(id: string, root: number): Piece {
  const tune = [0, 2, 4, 5, 7, 5, 4, 2, 0, 4, 7, 12, 7, 4, 2, 0];
  const voice = (offset: number): Note[] => tune.map((d, i) => ({ pitch: root + d + offset, start: i * 4, duration: 4, velocity: 90 }));
  return { id, steps: 64, tracks: [voice(0), voice(-3), voice(-7), voice(-12)] };
}

const tracks = ['S', 'A', 'T', 'B'].map((name, i) => ({ name, program: 19, isDrum: false, role: i === 0 ? 'melody' as const : 'accompaniment' as const, monophonic: true }));
const data: TrainingData = {
  name: 'synthetic scales',
  train: [piece('a', 64), piece('b', 67), piece('c', 62)],
  valid: [piece('v', 65)],
  test: [piece('t', 60)],
  tracks,
};

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
