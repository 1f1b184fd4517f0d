import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../inference/backend.js';
import { buildGenerator, sampleNoise } from '../inference/networks.js';
import { upsampledConv } from '../inference/upsampled-conv.js';
import { generatorTrainingPass } from './generator-pass.js';

const SPEC = { steps: 32, pitches: 64, tracks: 4, filters: 4, noiseChannels: 32, conditionChannels: 2 };

function maxAbs(t: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0]);
}

describe('the generator pass used for training', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it.each([[4, 3, 5], [2, 8, 2]])('an up-sampling then a %i×%i convolution is one sub-pixel convolution (%i channels out)', (k, ci, co) => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 4, 6, ci], 0, 1, 'float32', 1) as tf.Tensor4D;
      const kernel = tf.randomNormal([k, k, ci, co], 0, 1, 'float32', 2) as tf.Tensor4D;
      const bias = tf.randomNormal([co], 0, 1, 'float32', 3) as tf.Tensor1D;
      const plain = tf.add(tf.conv2d(tf.image.resizeNearestNeighbor(x, [8, 12]), kernel, 1, 'same'), bias);
      const fused = upsampledConv(x, kernel, bias);
      expect(fused.shape).toEqual(plain.shape);
      expect(maxAbs(tf.sub(fused, plain))).toBeLessThan(1e-4 * maxAbs(plain));
      // and the kernel's gradient through the phase filter is the plain one
      const weights = tf.randomNormal(plain.shape, 0, 1, 'float32', 4);
      const viaPlain = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(tf.image.resizeNearestNeighbor(x, [8, 12]), w as tf.Tensor4D, 1, 'same'), weights)))(kernel);
      const viaFused = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(upsampledConv(x, w as tf.Tensor4D, undefined), weights)))(kernel);
      expect(maxAbs(tf.sub(viaFused, viaPlain))).toBeLessThan(1e-4 * maxAbs(viaPlain));
    });
  });

  it('computes what the layers compute in training mode: output, moving statistics and gradients', () => {
    const layers = buildGenerator(SPEC);
    const pass = buildGenerator(SPEC);
    pass.setWeights(layers.getWeights());
    const before = tf.memory().numTensors;
    try {
      tf.tidy(() => {
        const condition = tf.sign(tf.randomUniform([6, 32, 64, 2], -1, 0.1, 'float32', 5)) as tf.Tensor4D;
        const noise = sampleNoise(SPEC, 6, 6);
        const loss = (y: tf.Tensor) => tf.sum(tf.square(tf.sub(y, 0.3))) as tf.Scalar;
        const viaLayers = tf.variableGrads(() => loss(layers.apply([condition, noise], { training: true }) as tf.Tensor), layers.trainableWeights.map((w) => w.read() as tf.Variable));
        const viaPass = tf.variableGrads(() => loss(generatorTrainingPass(pass, condition, noise)), pass.trainableWeights.map((w) => w.read() as tf.Variable));
        expect(Math.abs(viaPass.value.dataSync()[0] - viaLayers.value.dataSync()[0])).toBeLessThan(1e-4 * viaLayers.value.dataSync()[0]);
        const gradients = (g: tf.NamedTensorMap) => Object.values(g);
        const scale = Math.max(...gradients(viaLayers.grads).map(maxAbs));
        gradients(viaLayers.grads).forEach((g, i) => expect(maxAbs(tf.sub(g, gradients(viaPass.grads)[i]))).toBeLessThan(1e-5 * scale));
        layers.weights.forEach((w, i) => {
          if (w.trainable) return;
          expect(maxAbs(tf.sub(w.read(), pass.weights[i].read()))).toBeLessThan(1e-5);
          expect(maxAbs(tf.sub(w.read(), w.name.includes('variance') ? 1 : 0))).toBeGreaterThan(0); // the step moved them
        });
      });
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      layers.dispose();
      pass.dispose();
    }
  });

  it('normalises groups of windows as batches of their own, and moves the averages as passes in turn would', () => {
    const apart = buildGenerator(SPEC);
    const together = buildGenerator(SPEC);
    together.setWeights(apart.getWeights());
    try {
      tf.tidy(() => {
        const condition = tf.sign(tf.randomUniform([6, 32, 64, 2], -1, 0.1, 'float32', 7)) as tf.Tensor4D;
        const noise = sampleNoise(SPEC, 6, 8);
        const [c1, c2] = tf.split(condition, 2) as tf.Tensor4D[];
        const [z1, z2] = tf.split(noise, 2) as tf.Tensor4D[];
        const oneByOne = tf.concat([generatorTrainingPass(apart, c1, z1), generatorTrainingPass(apart, c2, z2)]);
        const inOnePass = generatorTrainingPass(together, condition, noise, undefined, 2);
        expect(maxAbs(tf.sub(inOnePass, oneByOne))).toBeLessThan(1e-4);
        apart.weights.forEach((w, i) => {
          if (!w.trainable) expect(maxAbs(tf.sub(w.read(), together.weights[i].read()))).toBeLessThan(1e-5);
        });
        // one batch of 6 is normalised otherwise
        expect(maxAbs(tf.sub(generatorTrainingPass(apart, condition, noise), inOnePass))).toBeGreaterThan(1e-2);
      });
    } finally {
      apart.dispose();
      together.dispose();
    }
  });
});
