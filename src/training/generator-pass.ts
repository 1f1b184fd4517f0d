import * as tf from '@tensorflow/tfjs';
import { upsampledConv } from '../inference/upsampled-conv.js';

/**
 * Per-channel mean and variance for batch normalisation in training, [groups, channels]: one row per
 * group of windows, `groups` equal runs of x's batch that are batches of their own (the batches of
 * several critic steps, generated in one pass). Over this thread's windows (`localMoments`), or over
 * every thread's part of each batch (synced-moments.ts).
 */
export type BatchMoments = (x: tf.Tensor4D, groups: number) => { mean: tf.Tensor2D; variance: tf.Tensor2D };

/** x as [groups, the rest of a group's rows, width, channels]: its groups along the first axis. */
export function grouped(x: tf.Tensor4D, groups: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  return tf.reshape(x, [groups, (n / groups) * h, w, c]);
}

export const localMoments: BatchMoments = (x, groups) => {
  const { mean, variance } = tf.moments(grouped(x, groups), [1, 2]);
  return { mean: mean as tf.Tensor2D, variance: variance as tf.Tensor2D };
};

interface LayerWeights {
  readonly layer: tf.layers.Layer;
  read(index: number): tf.Tensor;
}

function weightsOf(model: tf.LayersModel, name: string): LayerWeights {
  const layer = model.getLayer(name);
  return { layer, read: (index) => layer.weights[index].read() };
}

/**
 * The generator of networks.ts run for training: the same function as `generator.apply(…, { training:
 * true })` (a test holds them equal), with each up-sampling and the convolution after it fused (see
 * `upsampledConv`) and the batch statistics of batch normalisation taken by `moments`, so that threads
 * that each hold part of a batch normalise it as one. Moving averages are updated as the layers do.
 * With `groups` > 1 the windows are that many batches, normalised each on its own and their moving
 * averages updated in turn, as consecutive passes would (there is no gradient through that pass).
 */
export function generatorTrainingPass(model: tf.LayersModel, condition: tf.Tensor4D, noise: tf.Tensor4D, moments: BatchMoments = localMoments, groups = 1): tf.Tensor4D {
  const conv = (x: tf.Tensor4D, name: string, strides: number) => {
    const w = weightsOf(model, name);
    return tf.fused.conv2d({ x, filter: w.read(0) as tf.Tensor4D, bias: w.read(1) as tf.Tensor1D, strides, pad: 'same' });
  };
  const upConv = (x: tf.Tensor4D, name: string) => {
    const w = weightsOf(model, name);
    return upsampledConv(x, w.read(0) as tf.Tensor4D, w.read(1) as tf.Tensor1D);
  };
  const norm = (x: tf.Tensor4D, name: string) => {
    const w = weightsOf(model, name);
    const { momentum, epsilon } = w.layer.getConfig() as { momentum: number; epsilon: number };
    const { mean, variance } = moments(x, groups);
    const [gamma, beta] = [w.read(0) as tf.Tensor1D, w.read(1) as tf.Tensor1D];
    const channels = x.shape[3];
    const normed = groups === 1
      ? tf.batchNorm(x, tf.reshape(mean, [channels]), tf.reshape(variance, [channels]), beta, gamma, epsilon)
      : tf.reshape(tf.add(tf.mul(tf.mul(tf.sub(grouped(x, groups), tf.reshape(mean, [groups, 1, 1, channels])), tf.rsqrt(tf.add(tf.reshape(variance, [groups, 1, 1, channels]), epsilon))), gamma), beta), x.shape);
    tf.tidy(() => {
      for (const [index, values] of [[2, tf.unstack(mean)], [3, tf.unstack(variance)]] as const) {
        const moving = w.layer.weights[index];
        for (const value of values) {
          const current = moving.read();
          moving.write(tf.sub(current, tf.mul(tf.sub(current, value), 1 - momentum)));
        }
      }
    });
    return normed as tf.Tensor4D;
  };
  const { alpha } = model.getLayer('down1_act').getConfig() as { alpha: number };
  const leak = (x: tf.Tensor4D) => tf.leakyRelu(x, alpha);
  return tf.tidy(() => {
    const d1 = leak(conv(condition, 'down1_conv', 2));
    const d2 = norm(leak(conv(d1, 'down2_conv', 2)), 'down2_bn');
    const d3 = norm(leak(conv(d2, 'down3_conv', 2)), 'down3_bn');
    const d4 = norm(leak(conv(d3, 'down4_conv', 2)), 'down4_bn');
    let x = tf.concat([d4, noise], 3) as tf.Tensor4D;
    for (const [i, skip] of [[1, d3], [2, d2], [3, d1]] as const) {
      x = tf.concat([tf.relu(norm(upConv(x, `up${i}_conv`), `up${i}_bn`)), skip], 3) as tf.Tensor4D;
    }
    return tf.tanh(upConv(x, 'tracks'));
  });
}
