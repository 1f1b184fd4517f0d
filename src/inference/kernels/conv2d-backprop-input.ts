import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { copyRun, heapView } from './wasm-heap.js';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/**
 * A faster `Conv2DBackpropInput` for TF.js wasm, whose own kernel is a plain loop (≈10× slower than
 * its XNNPACK Conv2D; it dominated a generator training step). The input gradient of a convolution is
 * a transposed convolution, computed here on XNNPACK's Conv2D:
 * - stride 1: a convolution of the output gradient with the flipped filter;
 * - stride s in both axes: split by output phase (sub-pixel convolution). Each of the s×s phases of
 *   the input gradient is a stride-1 convolution of the output gradient with every s-th filter tap;
 *   one convolution computes all phases as channels, interleaved in one pass here (the backend's
 *   DepthToSpace computes an index per element and cost as much as the convolution). This does the
 *   arithmetic of the forward convolution, where convolving a zero-dilated gradient did s² times as
 *   much (three quarters of it on zeros).
 * Falls back to the backend's own kernel for NCHW.
 */
export function conv2dBackpropInputConfig(fallback: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { inputs, attrs } = args;
      const backend = args.backend as BackendWasm;
      const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
        strides: [number, number] | number;
        pad: Pad;
        dataFormat: 'NHWC' | 'NCHW';
        dimRoundingMode?: 'floor' | 'round' | 'ceil';
        inputShape: [number, number, number, number];
      };
      if (dataFormat === 'NCHW' && fallback) return fallback.kernelFunc(args);
      const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
      const phases = info.strideHeight === info.strideWidth && info.strideHeight > 1 ? phaseFilter(backend, filter, info.strideHeight) : undefined;
      if (phases) return phaseBackpropInput(backend, dy, phases, info);
      // The flipped filter with its channels swapped is the phase filter of stride 1. See
      // conv2d-backprop-filter.ts for the reference taken on dy: its wrapping tensor is disposed.
      const flipped = phaseFilter(backend, filter, 1);
      backend.incRef(dy.dataId);
      const engine = tf.engine();
      return tf.tidy(() => dilatedBackpropInput(engine.makeTensorFromTensorInfo(dy) as tf.Tensor4D, engine.makeTensorFromTensorInfo(flipped) as tf.Tensor4D, filter.shape, info));
    },
  };
}

/**
 * The filter of all phases: [K, K, co, s·s·ci] with K = ⌈k/s⌉, where output channel (py·s + px)·ci + c
 * of tap (a, b) is the original tap (py + s(K−1−a), px + s(K−1−b)) for input channel c (zero past k).
 * For s = 1, the flipped filter with input and output channels swapped.
 */
function phaseFilter(backend: BackendWasm, filter: tf.TensorInfo, s: number): tf.TensorInfo {
  const [kh, kw, ci, co] = filter.shape;
  const [Kh, Kw] = [Math.ceil(kh / s), Math.ceil(kw / s)];
  const out = backend.makeOutput([Kh, Kw, co, s * s * ci], 'float32');
  const w = heapView(backend, filter);
  const g = heapView(backend, out);
  // In the output's order: scattered reads cost less than scattered writes.
  let dst = 0;
  for (let a = 0; a < Kh; a++) {
    for (let b = 0; b < Kw; b++) {
      for (let o = 0; o < co; o++) {
        for (let py = 0; py < s; py++) {
          const i = py + s * (Kh - 1 - a);
          for (let px = 0; px < s; px++, dst += ci) {
            const j = px + s * (Kw - 1 - b);
            if (i >= kh || j >= kw) {
              g.fill(0, dst, dst + ci);
              continue;
            }
            for (let c = 0, src = (i * kw + j) * ci * co + o; c < ci; c++, src += co) g[dst + c] = w[src];
          }
        }
      }
    }
  }
  return out;
}

/**
 * The phases' convolution, then each input cell's gradient read from its phase's channels: row y is
 * row T = ⌊(y + top)/s⌋ of phase (y + top) mod s. Rows past the last window get zeros.
 */
function phaseBackpropInput(backend: BackendWasm, dy: tf.TensorInfo, phasesInfo: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const s = info.strideHeight;
  const [Kh, Kw] = [phasesInfo.shape[0], phasesInfo.shape[1]];
  backend.incRef(dy.dataId);
  const engine = tf.engine();
  const all = tf.tidy(() => {
    const padded = tf.pad(engine.makeTensorFromTensorInfo(dy) as tf.Tensor4D, [[0, 0], [Kh - 1, Kh - 1], [Kw - 1, Kw - 1], [0, 0]]);
    return tf.conv2d(padded, engine.makeTensorFromTensorInfo(phasesInfo) as tf.Tensor4D, 1, 'valid');
  });
  try {
    const { top, left } = info.padInfo;
    const [n, h, w, c] = [info.batchSize, info.inHeight, info.inWidth, info.inChannels];
    const [, rows, cols, channels] = all.shape;
    const out = backend.makeOutput([n, h, w, c], 'float32');
    const from = heapView(backend, all);
    const to = heapView(backend, out);
    let o = 0;
    for (let b = 0; b < n; b++) {
      for (let y = 0; y < h; y++) {
        const T = Math.floor((y + top) / s);
        const py = (y + top) % s;
        for (let x = 0; x < w; x++, o += c) {
          const X = Math.floor((x + left) / s);
          if (T >= rows || X >= cols) {
            to.fill(0, o, o + c);
            continue;
          }
          const px = (x + left) % s;
          copyRun(from, ((b * rows + T) * cols + X) * channels + (py * s + px) * c, to, o, c);
        }
      }
    }
    return out;
  } finally {
    all.dispose();
  }
}

/**
 * Input gradients of other strides: a stride-1 convolution of the gradient, dilated by the strides,
 * with the flipped filter ([kh, kw, co, ci]).
 */
function dilatedBackpropInput(dyT: tf.Tensor4D, flipped: tf.Tensor4D, filterShape: readonly number[], info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const [kh, kw, , co] = filterShape;
  const inputShape = [info.batchSize, info.inHeight, info.inWidth, info.inChannels];
  const n = inputShape[0];
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const { top, left } = info.padInfo;
  const [ho, wo] = [dyT.shape[1], dyT.shape[2]];
  // Insert stride−1 zeros between output-gradient cells.
  let dilated: tf.Tensor4D = dyT;
  if (sh > 1 || sw > 1) {
    const spread = tf.pad(tf.reshape(dyT, [n, ho, 1, wo, 1, co]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
    dilated = tf.slice(tf.reshape(spread, [n, ho * sh, wo * sw, co]) as tf.Tensor4D, [0, 0, 0, 0], [n, (ho - 1) * sh + 1, (wo - 1) * sw + 1, co]);
  }
  const before = [kh - 1 - top, kw - 1 - left];
  const after = [
    inputShape[1] + kh - 1 - before[0] - dilated.shape[1],
    inputShape[2] + kw - 1 - before[1] - dilated.shape[2],
  ];
  // Negative padding crops.
  const padded = tf.pad(dilated, [[0, 0], [Math.max(0, before[0]), Math.max(0, after[0])], [Math.max(0, before[1]), Math.max(0, after[1])], [0, 0]]);
  const cropped = tf.slice(padded, [0, Math.max(0, -before[0]), Math.max(0, -before[1]), 0], [n, inputShape[1] + kh - 1, inputShape[2] + kw - 1, co]);
  return tf.conv2d(cropped, flipped, 1, 'valid');
}
