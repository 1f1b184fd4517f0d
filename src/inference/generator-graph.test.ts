import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { distinctWindows } from './distinct-windows.js';
import { applySharingConditions } from './generator-graph.js';
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

describe('the generator with its condition path shared', () => {
  let generator: tf.LayersModel;
  beforeAll(async () => {
    await initBackend('wasm');
    generator = buildGenerator(spec);
  });
  afterAll(() => generator.dispose());

  it("gives the model's own output to the bit, and leaves no tensors behind", () => {
    const of = Int32Array.from([0, 1, 0, 2, 1, 0, 0]);
    const before = tf.memory().numTensors;
    const [whole, shared] = tf.tidy(() => {
      const rows = tf.sign(tf.randomUniform([3, spec.steps, spec.pitches, 2], -1, 1, 'float32', 5));
      const z = tf.randomNormal([of.length, ...noiseShape(spec)], 0, 1, 'float32', 6);
      const all = generator.apply([tf.gather(rows, tf.tensor1d(of, 'int32')), z], { training: false }) as tf.Tensor;
      return [all.dataSync(), applySharingConditions(generator, rows, of, z)!.dataSync()];
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(shared.length).toBe(whole.length);
    expect(Buffer.from(shared.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
  });

  it('runs a graph it cannot split whole (null)', () => {
    const x = tf.input({ shape: [4] });
    const single = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2 }).apply(x) as tf.SymbolicTensor });
    let applied: tf.Tensor | null | undefined;
    tf.tidy(() => {
      applied = applySharingConditions(single, tf.zeros([1, 4]), Int32Array.from([0, 0]), tf.zeros([2, 1]));
    });
    expect(applied).toBeNull();
    single.dispose();
  });
});
