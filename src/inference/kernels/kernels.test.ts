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
];

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
