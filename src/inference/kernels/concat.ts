import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { copyRun, heapView } from './wasm-heap.js';

/**
 * `Concat` for TF.js wasm, whose own kernel makes a subarray per input per outer index: joining a
 * melody channel to four track channels (the critic's input) was one `set` of one and of four floats
 * per cell. Short runs are copied by a loop here. Strings go to the backend's own kernel.
 */
export function concatConfig(fallback: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName: 'Concat',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const inputs = args.inputs as unknown as tf.TensorInfo[];
      if (inputs[0].dtype === 'string' && fallback) return fallback.kernelFunc(args);
      const backend = args.backend as BackendWasm;
      const axis = tf.util.parseAxisParam((args.attrs as { axis: number | number[] }).axis, inputs[0].shape)[0];
      const outShape = tf.backend_util.computeOutShape(inputs.map((t) => t.shape), axis);
      const parts = inputs.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
      const out = backend.makeOutput(outShape, inputs[0].dtype);
      if (parts.length === 0) return out;
      const outer = tf.util.sizeFromShape(parts[0].shape.slice(0, axis));
      const inner = parts.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)));
      const row = inner.reduce((a, b) => a + b, 0);
      const views = parts.map((t) => heapView(backend, t));
      const to = heapView(backend, out);
      for (let o = 0; o < outer; o++) {
        let offset = o * row;
        for (let i = 0; i < views.length; i++) {
          copyRun(views[i], o * inner[i], to, offset, inner[i]);
          offset += inner[i];
        }
      }
      return out;
    },
  };
}
