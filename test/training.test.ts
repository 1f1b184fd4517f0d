import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/inference/backend.js';
import { compose } from '../src/inference/compose.js';
import { ModelRegistry } from '../src/inference/registry.js';
import { DEFAULT_HYPER_PARAMETERS } from '../src/training/hyper-parameters.js';
import { harmoniserFor, trainModel, withWindowBars } from '../src/training/train-model.js';
import { percentileRange } from '../src/music/harmony-measures.js';
import { syntheticChordData, syntheticData } from './helpers/synthetic-data.js';
import { calibrateAndEvaluate, evaluateModel } from '../src/training/evaluate.js';
import { accompanyWindows } from '../src/inference/accompany.js';
import { FOLD_BAND_TAILS, type ModelCard } from '../src/inference/model-card.js';
import { loadModel } from '../src/inference/registry.js';
import { CALIBRATION_SEED } from '../src/training/calibrate.js';
import { measuredWindows } from '../src/training/dataset.js';
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

  it('measures the similarity index at each evaluation and, asked to, ends the run when it stops rising', async () => {
    const progress: TrainingProgress[] = [];
    // A learning rate near 0 keeps the generator as it started: its similarity index cannot rise.
    const frozen = { ...options(40, false, progress), runDir: join(dir, 'frozen-run'), modelDir: join(dir, 'frozen', 'tiny'), evalEvery: 1, stopWhenConverged: true };
    const card = await trainModel({ ...frozen, hyper: { ...frozen.hyper, learningRate: 1e-9 } });
    expect(progress.every((p) => p.similarity !== undefined && p.similarity > 0 && p.similarity <= 1)).toBe(true);
    // Two windows of 6 evaluations are the first moment a plateau can be told; batch normalisation's
    // moving statistics still drift while the weights stand still, so it may come a few evaluations later.
    expect(progress.length).toBeGreaterThanOrEqual(12);
    expect(progress.length).toBeLessThan(40);
    expect(progress.at(-1)?.converged).toBe(true);
    expect(card.training).toMatchObject({ iterations: progress.length, converged: true, similarity: progress.at(-1)?.similarity });
  });

  it('resumes from the checkpoint instead of starting again', async () => {
    const progress: TrainingProgress[] = [];
    const card = await trainModel(options(3, true, progress));
    expect(progress.map((p) => p.iteration)).toEqual([3]);
    expect(card.training.iterations).toBe(3);
    expect(JSON.parse(readFileSync(join(dir, 'run', 'history.json'), 'utf8'))).toHaveLength(3);
  });

  it('calibrates each part\'s threshold so that it sounds as often as the real part, then evaluates on the test split', async () => {
    const modelDir = join(dir, 'models', 'tiny');
    const evaluation = await calibrateAndEvaluate(modelDir, data);
    expect(evaluation?.evaluatedOn).toMatch(/test split/);
    const card = JSON.parse(readFileSync(join(modelDir, 'card.json'), 'utf8')) as ModelCard;
    expect(card.tracks[0].threshold).toBeUndefined(); // the melody is the input
    for (const t of card.tracks.slice(1)) expect(t.threshold).toBeGreaterThanOrEqual(-1);
    expect(card.metrics?.evaluatedOn).toBe(evaluation?.evaluatedOn);
    // The synthetic parts sound on every step; calibrated on the valid piece, so do the generated ones.
    const model = await loadModel(modelDir);
    try {
      const windows = measuredWindows(data.valid, 32, 28, 64);
      const generated = await accompanyWindows({ generator: model.generator, card: model.card }, windows, CALIBRATION_SEED);
      for (const w of generated) {
        for (const part of w.slice(1)) expect(part.reduce((steps, n) => steps + n.duration, 0)).toBe(32);
      }
    } finally {
      model.generator.dispose();
    }
  });
});

describe('training with harmony as a condition (tiny model)', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 'continuo-train-chords-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains on chords in C major / A minor, ships a harmoniser, and composes in the melody\'s key with the chords it used', async () => {
    const chordData = syntheticChordData();
    const card = await trainModel({
      identity: { id: 'tiny-chords', name: 'Tiny', genre: 'test', description: 'a test model' },
      data: chordData,
      hyper: { ...DEFAULT_HYPER_PARAMETERS, iterations: 1, batchSize: 4, filters: 2, updateRatio: 1, transpose: 0, reconstruction: 100 },
      pitchLow: 28, pitchCount: 64, tempo: 90,
      runDir: join(dir, 'run'), modelDir: join(dir, 'models', 'tiny-chords'), resume: false,
    });
    expect(card.conditioning).toEqual({ chords: true, key: 'normalised', harmoniser: 'harmoniser.json' });
    expect(card.network.conditionChannels).toBe(2);
    expect(existsSync(join(dir, 'models', 'tiny-chords', 'harmoniser.json'))).toBe(true);
    for (const t of card.tracks.slice(1)) expect(t.onsetGrid).toBe(4); // every synthetic note starts on a beat

    const model = await loadModel(join(dir, 'models', 'tiny-chords'));
    try {
      expect(model.harmoniser).toBeDefined();
      const inD = { notes: chordData.train[2].tracks[0], tempo: 90, timeSignature: { numerator: 4, denominator: 4 } }; // a D-major scale tune
      const proposed = await compose(model, inD, { seed: 3 });
      expect(proposed.key).toEqual({ tonic: 2, mode: 'major' });
      expect(proposed.chordSource).toBe('harmoniser');
      expect(proposed.chords?.length).toBeGreaterThan(0);
      const given = [{ start: 0, duration: 64, chord: { root: 2, quality: 'maj' as const } }];
      const followed = await compose(model, inD, { seed: 3, chords: given });
      expect(followed.chordSource).toBe('given');
      expect(followed.chords).toEqual(given); // returned in the melody's key, as given
      for (const [k, t] of card.tracks.entries()) {
        if (t.role === 'melody' || !t.playRange) continue;
        for (const n of followed.arrangements[0].tracks[k].notes) {
          expect(n.pitch).toBeGreaterThanOrEqual(t.playRange.low);
          expect(n.pitch).toBeLessThanOrEqual(t.playRange.high);
        }
      }
    } finally {
      model.generator.dispose();
    }

    // Calibration chooses each part's fold band among the percentile bands of its training notes.
    await calibrateAndEvaluate(join(dir, 'models', 'tiny-chords'), chordData);
    const calibrated = JSON.parse(readFileSync(join(dir, 'models', 'tiny-chords', 'card.json'), 'utf8')) as ModelCard;
    for (const [k, t] of calibrated.tracks.entries()) {
      if (t.role === 'melody') continue;
      const notes = withWindowBars(chordData).train.flatMap((p) => p.tracks[k]);
      expect(FOLD_BAND_TAILS.map((tail) => percentileRange(notes, tail, 1 - tail))).toContainEqual(t.playRange);
    }
  });
});

describe('a harmoniser trained on its own (continuo harmoniser)', () => {
  it("takes the network's size and passes for the mlp kind", () => {
    const net = harmoniserFor(syntheticChordData(), 8, 'mlp', { hidden: 8, epochs: 1 });
    expect(net.kind).toBe('mlp');
    expect(net.kind === 'mlp' && net.hidden).toBe(8);
    const hmm = harmoniserFor(syntheticChordData(), 8, 'hmm');
    expect(hmm.kind).toBe('hmm');
  });
});
