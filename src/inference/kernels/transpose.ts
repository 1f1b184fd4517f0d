import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { copyRun, heapView, stridesOf } from './wasm-heap.js';

/**
 * `Transpose` for TF.js wasm as a strided copy along the output's last axis: the backend's own kernel
 * computes an index per element (≈20 ns each here), and the gradient kernels transpose whole
 * activations. Strings go to the backend's own kernel.
 */
export function transposeConfig(fallback: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName: 'Transpose',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      if (x.dtype === 'string' && fallback) return fallback.kernelFunc(args);
      const backend = args.backend as BackendWasm;
      const perm = (args.attrs as unknown as { perm: number[] }).perm;
      const outShape = perm.map((a) => x.shape[a]);
      const out = backend.makeOutput(outShape, x.dtype);
      const count = outShape.reduce((a, b) => a * b, 1);
      if (count === 0) return out;
      const from = heapView(backend, x);
      const to = heapView(backend, out);
      const rank = perm.length;
      if (rank === 0) {
        to.set(from);
        return out;
      }
      const inStrides = stridesOf(x.shape);
      const strides = perm.map((a) => inStrides[a]); // input stride of each output axis
      const last = rank - 1;
      const run = outShape[last];
      const step = strides[last];
      const index = new Array<number>(last).fill(0);
      let offset = 0;
      for (let o = 0; o < count; o += run) {
        if (step === 1) copyRun(from, offset, to, o, run);
        else for (let j = 0, i = offset; j < run; j++, i += step) to[o + j] = from[i];
        for (let a = last - 1; a >= 0; a--) {
          offset += strides[a];
          if (++index[a] < outShape[a]) break;
          offset -= strides[a] * outShape[a];
          index[a] = 0;
        }
      }
      return out;
    },
  };
}
