import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { copyRun, heapView } from './wasm-heap.js';

/**
 * `GatherV2` for TF.js wasm by copying each gathered slice whole: its own kernel computes an index per
 * element, so handing a pass's shared condition path (a few rows of feature maps) to the windows that
 * use it cost more than computing it for each of them. Batched gathers and strings go to the
 * backend's own kernel.
 */
export function gatherConfig(fallback: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName: 'GatherV2',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
      const { axis, batchDims } = args.attrs as unknown as { axis: number; batchDims: number };
      if ((x.dtype === 'string' || batchDims !== 0) && fallback) return fallback.kernelFunc(args);
      const backend = args.backend as BackendWasm;
      const a = tf.util.parseAxisParam(axis, x.shape)[0];
      const dim = x.shape[a];
      // A copy: the output's allocation may grow the heap, which detaches views of it.
      const picked = Int32Array.from(heapView(backend, indices));
      for (const index of picked) {
        if (!(index >= 0 && index <= dim - 1)) throw new Error(`GatherV2: the index value ${index} is not in [0, ${dim - 1}]`);
      }
      const outShape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
      const out = backend.makeOutput(outShape, x.dtype);
      if (tf.util.sizeFromShape(outShape) === 0) return out;
      const outer = tf.util.sizeFromShape(x.shape.slice(0, a));
      const inner = tf.util.sizeFromShape(x.shape.slice(a + 1));
      const from = heapView(backend, x);
      const to = heapView(backend, out);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < picked.length; i++) copyRun(from, (o * dim + picked[i]) * inner, to, (o * picked.length + i) * inner, inner);
      }
      return out;
    },
  };
}
