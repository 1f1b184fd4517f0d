import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { copyRun, heapView } from './wasm-heap.js';

/**
 * `DepthToSpace` (NHWC) for TF.js wasm as runs of channels copied in place: the backend's own kernel
 * computes an index per element, several times the cost of the convolution before it. NCHW goes to
 * the backend's own kernel.
 */
export function depthToSpaceConfig(fallback: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName: 'DepthToSpace',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      const { blockSize: s, dataFormat } = args.attrs as { blockSize: number; dataFormat: 'NHWC' | 'NCHW' };
      if ((dataFormat !== 'NHWC' || x.dtype !== 'float32') && fallback) return fallback.kernelFunc(args);
      const backend = args.backend as BackendWasm;
      const [n, h, w, depth] = x.shape;
      const c = depth / (s * s);
      const out = backend.makeOutput([n, h * s, w * s, c], x.dtype);
      const from = heapView(backend, x);
      const to = heapView(backend, out);
      let o = 0;
      for (let b = 0; b < n; b++) {
        for (let y = 0; y < h; y++) {
          for (let i = 0; i < s; i++) {
            for (let x0 = 0; x0 < w; x0++) {
              const cell = ((b * h + y) * w + x0) * depth + i * s * c;
              copyRun(from, cell, to, o, s * c);
              o += s * c;
            }
          }
        }
      }
      return out;
    },
  };
}

/**
 * The gradient of `DepthToSpace`, which TF.js lacks: the inverse rearrangement (space to depth), as
 * reshapes around one rank-4 transpose.
 */
export const depthToSpaceGradConfig: tf.GradConfig = {
  kernelName: 'DepthToSpace',
  gradFunc: (dy, _saved, attrs) => {
    const { blockSize: s, dataFormat } = attrs as unknown as { blockSize: number; dataFormat: 'NHWC' | 'NCHW' };
    if (dataFormat !== 'NHWC') throw new Error('the gradient of DepthToSpace is implemented for NHWC only');
    const g = dy as tf.Tensor4D;
    const [n, hs, ws, c] = g.shape;
    const [h, w] = [hs / s, ws / s];
    return {
      x: () => tf.reshape(tf.transpose(tf.reshape(g, [n * h, s, w, s * c]), [0, 2, 1, 3]), [n, h, w, s * s * c]),
    };
  },
};
