import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { copyRun, heapView, stridesOf, type HeapArray } from './wasm-heap.js';

/**
 * `Tile` for TF.js wasm by doubling copies: its own kernel computes an index per element, which made
 * the batch-norm gradient (a per-channel vector tiled over the batch) cost more than the convolution
 * beside it. Strings go to the backend's own kernel.
 */
export function tileConfig(fallback: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName: 'Tile',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      if (x.dtype === 'string' && fallback) return fallback.kernelFunc(args);
      const backend = args.backend as BackendWasm;
      const reps = (args.attrs as unknown as { reps: number[] }).reps;
      const shape = x.shape;
      const outShape = shape.map((d, a) => d * reps[a]);
      const out = backend.makeOutput(outShape, x.dtype);
      if (outShape.some((d) => d === 0)) return out;
      if (shape.length === 0) {
        heapView(backend, out).set(heapView(backend, x));
        return out;
      }
      tileInto(heapView(backend, x), shape, reps, heapView(backend, out), outShape);
      return out;
    },
  };
}

/** Repeats the block at `offset` (of `block` elements) until it fills `total` elements. */
function replicate(to: HeapArray, offset: number, block: number, total: number): void {
  for (let done = block; done < total; done += Math.min(done, total - done)) {
    to.copyWithin(offset + done, offset, offset + Math.min(done, total - done));
  }
}

function tileInto(from: HeapArray, shape: readonly number[], reps: readonly number[], to: HeapArray, outShape: readonly number[]): void {
  const last = shape.length - 1;
  const inStrides = stridesOf(shape);
  const outStrides = stridesOf(outShape);
  const fill = (axis: number, inOffset: number, outOffset: number): void => {
    if (axis === last) {
      copyRun(from, inOffset, to, outOffset, shape[last]);
    } else {
      for (let i = 0; i < shape[axis]; i++) fill(axis + 1, inOffset + i * inStrides[axis], outOffset + i * outStrides[axis]);
    }
    const block = shape[axis] * outStrides[axis];
    replicate(to, outOffset, block, block * reps[axis]);
  };
  fill(0, 0, 0);
}
