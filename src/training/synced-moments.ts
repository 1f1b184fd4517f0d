import * as tf from '@tensorflow/tfjs';
import { grouped, type BatchMoments } from './generator-pass.js';
import type { ThreadExchange } from './thread-exchange.js';

/** The values of a tensor computed by `f`, which is disposed. */
function read(f: () => tf.Tensor): Float32Array {
  const t = tf.tidy(f);
  try {
    return t.dataSync() as Float32Array;
  } finally {
    t.dispose();
  }
}

/**
 * Batch statistics over the windows of every thread that trains the batch (synchronised batch
 * normalisation), so that each normalises its part of the batch exactly as one thread would the
 * whole. Each thread's count, mean and sum of squared deviations per group are combined in one
 * exchange (Chan et al.'s pairwise update: M2 = Σ M2ᵢ + nᵢ(meanᵢ − mean)²). The gradient is summed
 * across threads the same way, since every thread's loss depends on the shared mean and variance.
 */
export function syncedMoments(exchange: ThreadExchange): BatchMoments {
  return (x, groups) => {
    const moments = tf.customGrad((input, save) => {
      const t = input as tf.Tensor4D;
      const channels = t.shape[3];
      const n = t.size / channels / groups; // this thread's values per group and channel
      const local = read(() => {
        const { mean, variance } = tf.moments(grouped(t, groups), [1, 2]);
        return tf.concat([tf.fill([groups, 1], n), mean, tf.mul(variance, n)], 1);
      });
      const width = 2 * channels + 1;
      const parts = exchange.gather(local);
      const count = new Float64Array(groups);
      const mean = new Float64Array(groups * channels);
      const squares = new Float64Array(groups * channels);
      for (let g = 0; g < groups; g++) {
        for (const p of parts) count[g] += p[g * width];
        for (const p of parts) for (let c = 0; c < channels; c++) mean[g * channels + c] += (p[g * width] * p[g * width + 1 + c]) / count[g];
        for (const p of parts) {
          for (let c = 0; c < channels; c++) {
            const [k, own] = [g * channels + c, g * width];
            squares[k] += p[own + 1 + channels + c] + p[own] * (p[own + 1 + c] - mean[k]) ** 2;
          }
        }
      }
      const meanT = tf.tensor2d(Float32Array.from(mean), [groups, channels]);
      (save as tf.GradSaveFunc)([t, meanT]);
      const variance = Float32Array.from(squares, (v, k) => v / count[Math.floor(k / channels)]);
      return {
        value: tf.tidy(() => tf.stack([meanT, tf.tensor2d(variance, [groups, channels])])) as tf.Tensor3D,
        gradFunc: (dy, saved) => {
          const [xs, m] = saved as [tf.Tensor4D, tf.Tensor2D];
          // d/dx of a group's mean is 1/N and of its variance 2(x − mean)/N, with N and the upstream
          // gradients summed over all threads.
          const upstream = exchange.sum((dy as tf.Tensor).dataSync());
          const per = (offset: number, factor: number) =>
            tf.tensor4d(Float32Array.from(upstream.subarray(offset, offset + groups * channels), (v, k) => (factor * v) / count[Math.floor(k / channels)]), [groups, 1, 1, channels]);
          return tf.tidy(() => {
            const dMean = per(0, 1);
            const dVariance = per(groups * channels, 2);
            const centred = tf.sub(grouped(xs, groups), tf.reshape(m, [groups, 1, 1, channels]));
            return tf.reshape(tf.add(dMean, tf.mul(dVariance, centred)), xs.shape);
          });
        },
      };
    })(x) as tf.Tensor3D;
    const [mean, variance] = tf.unstack(moments) as [tf.Tensor2D, tf.Tensor2D];
    return { mean, variance };
  };
}
