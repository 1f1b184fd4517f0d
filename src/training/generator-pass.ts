import * as tf from '@tensorflow/tfjs';

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

/**
 * The taps of a 2× nearest up-sampling followed by a stride-1 'same' convolution of kernel k, seen from
 * the low-resolution input: output row 2m + p reads input rows m + offset. Returns the offsets' range
 * and, per phase p, the map from the k kernel taps to the window's taps.
 */
function upsampledTaps(k: number): { low: number; taps: number; phase: number[][][] } {
  const top = Math.floor((k - 1) / 2);
  const offset = (p: number, i: number) => Math.floor((p - top + i) / 2);
  const low = Math.min(offset(0, 0), offset(1, 0));
  const taps = Math.max(offset(0, k - 1), offset(1, k - 1)) - low + 1;
  const phase = [0, 1].map((p) => {
    const m = Array.from({ length: taps }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < k; i++) m[offset(p, i) - low][i] = 1;
    return m;
  });
  return { low, taps, phase };
}

/**
 * The phase filter of `upsampledConv`: [taps, taps, ci, 4·co], channel (2p + q)·co + o holding the sum
 * of the kernel taps that phase (p, q) reads at window tap (a, b). Plain loops over the values, forward
 * and back (the map is a sum of at most four taps per value; as a matrix product on wasm it cost more
 * than the convolution it feeds).
 */
function phaseKernel(kernel: tf.Tensor4D): tf.Tensor4D {
  const [k, , ci, co] = kernel.shape;
  const { taps, phase } = upsampledTaps(k);
  // window tap of kernel tap i in phase p, and the kernel taps of window tap a in phase p
  const tap = [0, 1].map((p) => Array.from({ length: k }, (_, i) => phase[p].findIndex((row) => row[i] === 1)));
  const rows = [0, 1].map((p) => Array.from({ length: taps }, (_, a) => tap[p].flatMap((t, i) => (t === a ? [i] : []))));
  // Both loops walk their output in order (scattered writes cost several times the additions).
  return tf.customGrad((w) => {
    const from = (w as tf.Tensor).dataSync();
    const to = new Float32Array(taps * taps * ci * 4 * co);
    let dst = 0;
    for (let a = 0; a < taps; a++) for (let b = 0; b < taps; b++) for (let c = 0; c < ci; c++) for (let p = 0; p < 2; p++) for (let q = 0; q < 2; q++, dst += co) {
      for (const i of rows[p][a]) {
        for (const j of rows[q][b]) {
          const src = ((i * k + j) * ci + c) * co;
          for (let o = 0; o < co; o++) to[dst + o] += from[src + o];
        }
      }
    }
    return {
      value: tf.tensor4d(to, [taps, taps, ci, 4 * co]),
      gradFunc: (dy) => {
        const grad = (dy as tf.Tensor).dataSync();
        const dw = new Float32Array(k * k * ci * co);
        let out = 0;
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let c = 0; c < ci; c++, out += co) {
          for (let p = 0; p < 2; p++) {
            for (let q = 0; q < 2; q++) {
              const src = (((tap[p][i] * taps + tap[q][j]) * ci + c) * 4 + 2 * p + q) * co;
              for (let o = 0; o < co; o++) dw[out + o] += grad[src + o];
            }
          }
        }
        return tf.tensor4d(dw, [k, k, ci, co]);
      },
    };
  })(kernel) as tf.Tensor4D;
}

/**
 * Up-sampling by 2 (nearest) then a stride-1 'same' convolution, computed as one convolution of the
 * low-resolution input whose 4 output phases are interleaved by DepthToSpace (sub-pixel convolution):
 * the same function with 9/16 of the arithmetic for 4×4 kernels, and no 4× larger input. The phase
 * filter is a linear map of the layer's kernel, so gradients reach the kernel as before.
 */
export function upsampledConv(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D | undefined): tf.Tensor4D {
  const [kh, kw] = kernel.shape;
  if (kh !== kw) throw new RangeError(`upsampledConv takes square kernels, got ${kh}×${kw}`);
  const { low, taps } = upsampledTaps(kh);
  return tf.tidy(() => {
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [-low, taps - 1 + low], [-low, taps - 1 + low], [0, 0]];
    const phases = tf.fused.conv2d({ x, filter: phaseKernel(kernel), strides: 1, pad, bias: bias ? tf.tile(bias, [4]) : undefined });
    return tf.depthToSpace(phases, 2);
  });
}

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
