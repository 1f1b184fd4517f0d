import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { distinctWindows } from './distinct-windows.js';
import { applyGenerator, disposeGenerator } from './generator-graph.js';
import { buildGenerator, noiseShape, type NetworkSpec } from './networks.js';

const spec: NetworkSpec = { steps: 32, pitches: 64, tracks: 4, filters: 4, noiseChannels: 8, conditionChannels: 2 };

describe('distinctWindows', () => {
  it('groups windows of equal content, in order of first appearance', () => {
    const size = 6;
    const rows = [[1, -1, 1, 1, -1, -1], [1, 1, 1, 1, 1, 1], [1, -1, 1, 1, -1, -1], [-1, -1, -1, -1, -1, -1], [1, 1, 1, 1, 1, 1]];
    const { first, of } = distinctWindows(Float32Array.from(rows.flat()), rows.length, size);
    expect(first).toEqual([0, 1, 3]);
    expect([...of]).toEqual([0, 1, 0, 2, 1]);
  });

  it('tells apart windows that differ in one cell only', () => {
    const a = new Float32Array(2 * 4096).fill(-1);
    a[4096 + 4095] = 1;
    expect(distinctWindows(a, 2, 4096).first).toEqual([0, 1]);
  });
});

describe('the generator as inference runs it (condition path shared, up-sampling fused)', () => {
  let generator: tf.LayersModel;
  beforeAll(async () => {
    await initBackend('wasm');
    generator = buildGenerator(spec);
  });
  afterAll(() => disposeGenerator(generator));

  const maxDifference = (a: tf.TypedArray, b: tf.TypedArray) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
  const inputs = (of: Int32Array, seed: number) => {
    const rows = tf.sign(tf.randomUniform([3, spec.steps, spec.pitches, 2], -1, 1, 'float32', seed));
    const z = tf.randomNormal([of.length, ...noiseShape(spec)], 0, 1, 'float32', seed + 1);
    return { rows, z, all: tf.gather(rows, tf.tensor1d(of, 'int32')) };
  };
  const of = Int32Array.from([0, 1, 0, 2, 1, 0, 0]);

  it("gives the model's function (to float rounding), the same to the bit shared or not, and leaves no tensors behind", () => {
    tf.tidy(() => void applyGenerator(generator, tf.zeros([1, spec.steps, spec.pitches, 2]), null, tf.zeros([1, ...noiseShape(spec)]))); // the phase filters, made once
    const before = tf.memory().numTensors;
    const [model, shared, alone] = tf.tidy(() => {
      const { rows, z, all } = inputs(of, 5);
      return [(generator.apply([all, z], { training: false }) as tf.Tensor).dataSync(), applyGenerator(generator, rows, of, z)!.dataSync(), applyGenerator(generator, all, null, z)!.dataSync()];
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(shared.length).toBe(model.length);
    expect(Buffer.from(shared.buffer).equals(Buffer.from(alone.buffer))).toBe(true);
    // tanh outputs in (−1, 1): the sums' order moves them by float rounding only.
    expect(maxDifference(shared, model)).toBeLessThan(1e-5);
  });

  it('makes the phase filters again when the weights change (a model in training), and disposes them with the model', () => {
    const other = buildGenerator(spec);
    const before = tf.memory().numTensors;
    const run = () => tf.tidy(() => {
      const { rows, z, all } = inputs(of, 9);
      return [(other.apply([all, z], { training: false }) as tf.Tensor).dataSync(), applyGenerator(other, rows, of, z)!.dataSync()];
    });
    const [model1, fused1] = run();
    expect(maxDifference(fused1, model1)).toBeLessThan(1e-5);
    const kept = tf.memory().numTensors;
    expect(kept).toBeGreaterThan(before);
    // New weights for every layer, as training writes them.
    const fresh = other.getWeights().map((w) => tf.tidy(() => tf.add(w, tf.randomNormal(w.shape, 0, 0.05, 'float32', 3))));
    other.setWeights(fresh);
    tf.dispose(fresh);
    const [model2, fused2] = run();
    expect(maxDifference(fused2, fused1)).toBeGreaterThan(1e-3);
    expect(maxDifference(fused2, model2)).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(kept);
    const weights = other.weights.length;
    disposeGenerator(other);
    expect(tf.memory().numTensors).toBeLessThan(before - weights + 1);
  });

  it('runs a graph it cannot split whole (null)', () => {
    const x = tf.input({ shape: [4] });
    const single = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2 }).apply(x) as tf.SymbolicTensor });
    let applied: tf.Tensor | null | undefined;
    tf.tidy(() => {
      applied = applyGenerator(single, tf.zeros([1, 4]), Int32Array.from([0, 0]), tf.zeros([2, 1]));
    });
    expect(applied).toBeNull();
    single.dispose();
  });
});
