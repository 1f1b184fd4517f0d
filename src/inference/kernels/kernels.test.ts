import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMissingKernels } from './index.js';

type Case = { x: number[]; f: number[]; strides: number | [number, number]; pad: 'same' | 'valid' };
const CASES: Case[] = [
  { x: [3, 16, 32, 4], f: [4, 4, 4, 8], strides: 2, pad: 'same' },
  { x: [2, 7, 9, 2], f: [4, 4, 2, 3], strides: 2, pad: 'same' },
  { x: [2, 7, 9, 2], f: [3, 3, 2, 3], strides: 1, pad: 'same' },
  { x: [2, 9, 9, 2], f: [3, 3, 2, 3], strides: 2, pad: 'valid' },
  { x: [2, 8, 10, 3], f: [4, 4, 3, 5], strides: [2, 1], pad: 'same' },
  // rows and columns past the last window (they get no gradient), and a stride that is not 2
  { x: [2, 10, 11, 3], f: [4, 4, 3, 5], strides: 2, pad: 'valid' },
  { x: [2, 12, 13, 3], f: [5, 5, 3, 2], strides: 3, pad: 'same' },
  { x: [2, 12, 13, 3], f: [3, 3, 3, 2], strides: 3, pad: 'valid' },
];

/** Seeded random values of a shape (drawn in JavaScript: the same on every backend). */
function values(shape: number[], seed: number): number[] {
  return tf.tidy(() => Array.from(tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync()));
}

/** Runs `fn` on a backend and returns its result as nested arrays. */
async function on<T>(backend: string, fn: () => tf.Tensor): Promise<T> {
  await tf.setBackend(backend);
  const t = fn();
  try {
    return (await t.array()) as T;
  } finally {
    t.dispose();
  }
}

function maxAbsDiff(a: unknown, b: unknown): number {
  const fa = (a as number[]).flat(Infinity) as number[];
  const fb = (b as number[]).flat(Infinity) as number[];
  expect(fa.length).toBe(fb.length);
  return Math.max(...fa.map((v, i) => Math.abs(v - fb[i])));
}

describe('kernels registered for training on wasm', () => {
  beforeAll(async () => {
    registerMissingKernels();
    await tf.setBackend('cpu');
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it.each(CASES)('Conv2DBackpropFilter matches cpu for x=$x f=$f strides=$strides pad=$pad', async ({ x, f, strides, pad }) => {
    const xs = tf.randomNormal(x, 0, 1, 'float32', 1).arraySync();
    const fs = tf.randomNormal(f, 0, 1, 'float32', 2).arraySync();
    const gradient = () => {
      const xt = tf.tensor(xs as number[]) as tf.Tensor4D;
      const ft = tf.tensor(fs as number[]) as tf.Tensor4D;
      return tf.tidy(() => tf.grad((w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(xt, w as tf.Tensor4D, strides, pad))))(ft));
    };
    const cpu = await on('cpu', gradient);
    const wasm = await on('wasm', gradient);
    expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-2);
  });

  it.each(CASES)('Conv2DBackpropInput matches cpu for x=$x f=$f strides=$strides pad=$pad', async ({ x, f, strides, pad }) => {
    const xs = tf.randomNormal(x, 0, 1, 'float32', 3).arraySync();
    const fs = tf.randomNormal(f, 0, 1, 'float32', 4).arraySync();
    const gradient = () => {
      const xt = tf.tensor(xs as number[]) as tf.Tensor4D;
      const ft = tf.tensor(fs as number[]) as tf.Tensor4D;
      return tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.conv2d(v as tf.Tensor4D, ft, strides, pad))))(xt));
    };
    const cpu = await on('cpu', gradient);
    const wasm = await on('wasm', gradient);
    expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-2);
  });

  it('second-order gradients through LeakyReLU (WGAN-GP) agree between cpu and wasm', async () => {
    const xs = tf.randomNormal([2, 8, 8, 2], 0, 1, 'float32', 5).arraySync();
    const ws = tf.randomNormal([4, 4, 2, 3], 0, 1, 'float32', 6).arraySync();
    const penaltyGradient = () => {
      const x = tf.tensor(xs as number[]) as tf.Tensor4D;
      const w = tf.variable(tf.tensor(ws as number[]) as tf.Tensor4D);
      try {
        const { grads } = tf.variableGrads(() => {
          const g = tf.grad((v: tf.Tensor) => tf.sum(tf.leakyRelu(tf.conv2d(v as tf.Tensor4D, w, 2, 'same'), 0.2)))(x);
          return tf.sum(tf.square(g)) as tf.Scalar;
        }, [w]);
        return grads[w.name];
      } finally {
        w.dispose();
        x.dispose();
      }
    };
    const cpu = await on<number[]>('cpu', penaltyGradient);
    const wasm = await on<number[]>('wasm', penaltyGradient);
    expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-2);
    expect(Math.max(...(cpu.flat(Infinity) as number[]).map(Math.abs))).toBeGreaterThan(0);
  });

  it('second-order gradients through two LeakyReLU layers agree between cpu and wasm', async () => {
    const xs = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 7).arraySync();
    const ws = tf.randomNormal([3, 3, 2, 2], 0, 1, 'float32', 8).arraySync();
    const penaltyGradient = () => {
      const x = tf.tensor(xs as number[]) as tf.Tensor4D;
      const w = tf.variable(tf.tensor(ws as number[]) as tf.Tensor4D);
      try {
        const score = (v: tf.Tensor) => tf.sum(tf.leakyRelu(tf.conv2d(tf.leakyRelu(tf.conv2d(v as tf.Tensor4D, w, 1, 'same'), 0.2), w, 1, 'same'), 0.2));
        const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.grad(score)(x))) as tf.Scalar, [w]);
        return grads[w.name];
      } finally {
        w.dispose();
        x.dispose();
      }
    };
    const cpu = await on<number[]>('cpu', penaltyGradient);
    const wasm = await on<number[]>('wasm', penaltyGradient);
    const scale = Math.max(...(cpu.flat(Infinity) as number[]).map(Math.abs));
    expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-5 * scale);
  });

  it('leaves no tensors behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.randomNormal([2, 8, 8, 2]) as tf.Tensor4D;
    const f = tf.randomNormal([4, 4, 2, 3]) as tf.Tensor4D;
    const grads = tf.tidy(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')))([x, f]));
    expect(grads.map((g) => g.shape)).toEqual([x.shape, f.shape]);
    tf.dispose([...grads, x, f]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('wasm data-movement kernels (JavaScript copies instead of per-element index loops)', () => {
  beforeAll(async () => {
    registerMissingKernels();
    await tf.setBackend('cpu');
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  const t = (shape: number[], seed: number) => tf.tensor(values(shape, seed), shape);
  const ops: [string, () => tf.Tensor | tf.Tensor[]][] = [
    ['Slice, a crop of a few channels', () => tf.slice(t([3, 7, 9, 5], 1), [1, 1, 2, 1], [2, 5, 6, 3])],
    ['Slice, whole inner axes', () => tf.slice(t([3, 7, 9, 5], 1), [0, 1, 0, 0], [3, 5, 9, 5])],
    ['Slice, rank 5', () => tf.slice(t([2, 3, 4, 5, 6], 2), [1, 0, 1, 2, 0], [1, 3, 2, 3, 6])],
    ['Slice, int32', () => tf.slice(tf.range(0, 60, 1, 'int32').reshape([3, 4, 5]), [1, 1, 1], [2, 2, 3])],
    ['SplitV on the last axis', () => tf.split(t([3, 4, 7], 3), [2, 5], 2)],
    ['SplitV on a middle axis', () => tf.split(t([3, 4, 7], 3), 2, 1)],
    ['Concat on the last axis', () => tf.concat([t([3, 4, 5, 1], 4), t([3, 4, 5, 4], 5)], 3)],
    ['Concat on a middle axis', () => tf.concat([t([3, 4, 5], 4), t([3, 2, 5], 5), t([3, 1, 5], 6)], 1)],
    ['Tile of a channel vector', () => tf.tile(t([1, 1, 1, 5], 7), [3, 4, 6, 1])],
    ['Tile on every axis', () => tf.tile(t([2, 1, 3], 7), [2, 3, 2])],
    ['Transpose, rank 4', () => tf.transpose(t([3, 4, 5, 6], 8), [3, 1, 0, 2])],
    ['Transpose, inner axis kept', () => tf.transpose(t([3, 4, 5, 6], 8), [1, 0, 2, 3])],
    ['Transpose, rank 5', () => tf.transpose(t([2, 3, 4, 5, 2], 8), [4, 2, 0, 3, 1])],
    ['DepthToSpace', () => tf.depthToSpace(t([2, 3, 5, 12], 9) as tf.Tensor4D, 2)],
    ['DepthToSpace, block 3', () => tf.depthToSpace(t([2, 3, 5, 18], 9) as tf.Tensor4D, 3)],
    ['GatherV2 of batch rows, repeated', () => tf.gather(t([3, 4, 5, 6], 10), tf.tensor1d([2, 0, 0, 1, 2, 2], 'int32'))],
    ['GatherV2 on a middle axis', () => tf.gather(t([3, 4, 5], 10), tf.tensor1d([3, 1, 3], 'int32'), 1)],
    ['GatherV2 on the last axis, indices of rank 2', () => tf.gather(t([3, 4, 5], 10), tf.tensor2d([[4, 0], [1, 1]], [2, 2], 'int32'), 2)],
    ['GatherV2, int32', () => tf.gather(tf.range(0, 60, 1, 'int32').reshape([3, 4, 5]), tf.tensor1d([2, 0], 'int32'), 1)],
  ];

  it.each(ops)('%s matches cpu exactly', async (_name, op) => {
    const run = () => {
      const out = op();
      return Array.isArray(out) ? tf.concat(out.map((o) => o.flatten())) : out;
    };
    const cpu = await on<number[]>('cpu', run);
    const wasm = await on<number[]>('wasm', run);
    expect(maxAbsDiff(cpu, wasm)).toBe(0);
  });

  // Compared with the block sums themselves: TF.js cpu's own kernel gets non-square inputs wrong.
  it.each([
    [[8, 12], false], [[12, 18], false], [[8, 18], false], [[8, 12], true],
  ] as [[number, number], boolean][])('ResizeNearestNeighborGrad to %j (half-pixel centres: %s) sums each up-sampled block', async (size, halfPixelCenters) => {
    const error = await on<number[]>('wasm', () => {
      const weights = t([2, ...size, 3], 11);
      const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(v as tf.Tensor4D, size, false, halfPixelCenters), weights)))(tf.zeros([2, 4, 6, 3]));
      const [fh, fw] = [size[0] / 4, size[1] / 6];
      return tf.sub(grad, tf.sum(tf.reshape(weights, [2, 4, fh, 6, fw, 3]), [2, 4]));
    });
    expect(Math.max(...(error.flat(Infinity) as number[]).map(Math.abs))).toBeLessThan(1e-5);
  });

  it('the gradient of DepthToSpace moves each value back to the cell and channel it came from', async () => {
    for (const backend of ['cpu', 'wasm']) {
      const moved = await on<number[]>(backend, () => {
        const weights = t([2, 6, 10, 3], 13) as tf.Tensor4D;
        const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.depthToSpace(x as tf.Tensor4D, 2), weights)))(tf.zeros([2, 3, 5, 12]));
        return tf.sub(tf.depthToSpace(grad as tf.Tensor4D, 2), weights);
      });
      expect(Math.max(...(moved.flat(Infinity) as number[]).map(Math.abs))).toBe(0);
    }
  });
});
