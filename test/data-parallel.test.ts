import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/inference/backend.js';
import { buildCritic, buildGenerator, sampleNoise } from '../src/inference/networks.js';
import { loadModel } from '../src/inference/registry.js';
import type { PartGradients } from '../src/training/gan-gradients.js';
import { LocalGradients, splitBatch, ThreadedGradients, type BatchArrays } from '../src/training/gradient-threads.js';
import { DEFAULT_HYPER_PARAMETERS } from '../src/training/hyper-parameters.js';
import { trainModel } from '../src/training/train-model.js';
import type { TrainingProgress } from '../src/training/trainer.js';
import { syntheticData } from './helpers/synthetic-data.js';

const SPEC = { steps: 32, pitches: 64, tracks: 4, filters: 4, noiseChannels: 32 };
const LOSSES = { spec: SPEC, critic: { gradientPenalty: 10 }, generator: { reconstruction: 5, reconstructionLoss: 'bce' as const } };

/** A fixed batch of `n` windows: sparse rolls, seeded noise and interpolation factors. */
function fixedBatch(n: number, seed: number): BatchArrays {
  return tf.tidy(() => ({
    count: n,
    condition: tf.sign(tf.randomUniform([n, 32, 64, 1], -1, 0.1, 'float32', seed)).dataSync() as Float32Array,
    real: tf.sign(tf.randomUniform([n, 32, 64, 4], -1, 0.1, 'float32', seed + 10)).dataSync() as Float32Array,
    noise: sampleNoise(SPEC, n, seed + 20).dataSync() as Float32Array,
    eps: tf.randomUniform([n, 1, 1, 1], 0, 1, 'float32', seed + 30).dataSync() as Float32Array,
  }));
}

/** The largest difference between two gradient lists, as a share of the largest gradient value. */
function relativeDifference(a: tf.Tensor[], b: tf.Tensor[]): number {
  return tf.tidy(() => {
    const scale = Math.max(...a.map((g) => tf.max(tf.abs(g)).dataSync()[0]));
    return Math.max(...a.map((g, i) => tf.max(tf.abs(tf.sub(g, b[i]))).dataSync()[0])) / scale;
  });
}

describe('data-parallel training over threads', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 'continuo-parallel-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sums to the gradients of the whole batch on one thread, batch normalisation included', async () => {
    const nets = { generator: buildGenerator(SPEC), critic: buildCritic(SPEC) };
    // Two critic steps prepared together (the generator's windows for both in one pass), then the generator's.
    const batches = [fixedBatch(8, 1), fixedBatch(8, 2)];
    const one = new LocalGradients(nets, LOSSES);
    const two = await ThreadedGradients.start(nets, { ...LOSSES, threads: 2, groups: 2, backend: 'wasm' });
    const movingStats = () => nets.generator.weights.filter((w) => !w.trainable).map((w) => w.read().dataSync().slice());
    const steps: [string, (source: LocalGradients | ThreadedGradients) => Promise<PartGradients>][] = [
      ['critic, first step', async (source) => { await source.prepareCritic(batches); return source.critic(0); }],
      ['critic, second step', (source) => source.critic(1)],
      ['generator', (source) => source.generator(batches[0])],
    ];
    try {
      for (const [what, step] of steps) {
        const start = nets.generator.getWeights().map((w) => w.clone());
        const whole = await step(one);
        const statsOne = movingStats();
        nets.generator.setWeights(start); // the generator's pass moved its moving averages: the threads start where one did
        const shared = await step(two);
        const statsTwo = movingStats();
        try {
          expect(relativeDifference(whole.gradients, shared.gradients), what).toBeLessThan(1e-4);
          // Float32 sums taken in another order: the same to about 1e-5 of their size (as the gradients above).
          const near = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
          expect(near(shared.loss, whole.loss), `${what}: loss ${shared.loss} vs ${whole.loss}`).toBeLessThan(5e-5);
          for (const key of ['wasserstein', 'penalty', 'reconstruction'] as const) {
            if (whole[key] === undefined) expect(shared[key]).toBeUndefined();
            else expect(near(shared[key] as number, whole[key] as number), `${what}: ${key}`).toBeLessThan(5e-5);
          }
          statsOne.forEach((s, i) => s.forEach((v, j) => expect(statsTwo[i][j]).toBeCloseTo(v, 5)));
        } finally {
          tf.dispose([...whole.gradients, ...shared.gradients, ...start]);
        }
      }
      // The check has teeth: halves normalised on their own (no shared batch statistics) give other
      // generator gradients.
      const halves = await Promise.all(splitBatch(batches[0], 2).map((part) => one.generator(part)));
      const ownHalves = tf.tidy(() => halves[0].gradients.map((g, i) => tf.mul(tf.add(g, halves[1].gradients[i]), 0.5)));
      const whole = await one.generator(batches[0]);
      expect(relativeDifference(whole.gradients, ownHalves)).toBeGreaterThan(1e-2);
      tf.dispose([...ownHalves, ...whole.gradients, ...halves.flatMap((h) => h.gradients)]);
    } finally {
      one.dispose();
      two.dispose();
      nets.generator.dispose();
      nets.critic.dispose();
    }
  });

  it('trains a tiny model on two threads, checkpoints it, and resumes', async () => {
    const options = (iterations: number, resume: boolean, progress: TrainingProgress[]) => ({
      identity: { id: 'tiny-parallel', name: 'Tiny', genre: 'test', description: 'a test model' },
      data: syntheticData(),
      hyper: { ...DEFAULT_HYPER_PARAMETERS, iterations, batchSize: 4, filters: 2, updateRatio: 2 },
      pitchLow: 28, pitchCount: 64, tempo: 90,
      runDir: join(dir, 'run'), modelDir: join(dir, 'models', 'tiny-parallel'),
      resume, evalEvery: 2, sampleEvery: 100, checkpointEvery: 2, threads: 2,
      onProgress: (p: TrainingProgress) => progress.push(p),
    });
    const first: TrainingProgress[] = [];
    const card = await trainModel(options(2, false, first));
    expect(first.map((p) => p.iteration)).toEqual([1, 2]);
    for (const p of first) {
      for (const value of [p.criticLoss, p.generatorLoss, p.wasserstein, p.gradientPenalty]) expect(Number.isFinite(value)).toBe(true);
    }
    expect(first[0].gradientPenalty).toBeGreaterThan(0);
    expect(card.training.machine).toMatch(/2 training threads/);
    expect(existsSync(join(dir, 'run', 'checkpoint', 'state.json'))).toBe(true);

    const resumed: TrainingProgress[] = [];
    const again = await trainModel(options(3, true, resumed));
    expect(resumed.map((p) => p.iteration)).toEqual([3]);
    expect(again.training.iterations).toBe(3);
    expect(JSON.parse(readFileSync(join(dir, 'run', 'history.json'), 'utf8'))).toHaveLength(3);
    const model = await loadModel(join(dir, 'models', 'tiny-parallel'));
    try {
      expect(model.generator.outputs[0].shape).toEqual([null, 32, 64, 4]);
    } finally {
      model.generator.dispose();
    }
  });
});
