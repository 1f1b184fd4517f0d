import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { copyRun, heapView, stridesOf } from './wasm-heap.js';

/**
 * `Slice` and `SplitV` for TF.js wasm without its copy of the whole input per call: the slice is
 * copied in the longest contiguous runs its shape allows (a crop of a few channels per cell was one
 * `set` per cell, and the largest cost of a training step). Strings go to the backend's own kernel.
 */
export function sliceInto(backend: BackendWasm, x: tf.TensorInfo, begin: readonly number[], size: readonly number[]): tf.TensorInfo {
  const out = backend.makeOutput([...size], x.dtype);
  const count = size.reduce((a, b) => a * b, 1);
  if (count === 0) return out;
  const from = heapView(backend, x);
  const to = heapView(backend, out);
  const rank = x.shape.length;
  const strides = stridesOf(x.shape);
  // The innermost axes taken whole join the run, with the first partial axis above them.
  let axis = rank - 1;
  let run = 1;
  while (axis > 0 && begin[axis] === 0 && size[axis] === x.shape[axis]) run *= size[axis--];
  run *= size[axis];
  const base = begin.reduce((offset, b, a) => offset + b * strides[a], 0);
  const outer = size.slice(0, axis);
  const index = new Array<number>(axis).fill(0);
  for (let o = 0; o < count; o += run) {
    let offset = base;
    for (let a = 0; a < axis; a++) offset += index[a] * strides[a];
    copyRun(from, offset, to, o, run);
    for (let a = axis - 1; a >= 0; a--) {
      if (++index[a] < outer[a]) break;
      index[a] = 0;
    }
  }
  return out;
}

export function sliceConfig(fallback: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName: 'Slice',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      if (x.dtype === 'string' && fallback) return fallback.kernelFunc(args);
      const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
      const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
      return sliceInto(args.backend as BackendWasm, x, b, s);
    },
  };
}

export function splitVConfig(fallback: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName: 'SplitV',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      if (x.dtype === 'string' && fallback) return fallback.kernelFunc(args);
      const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number | number[] };
      const a = tf.util.parseAxisParam(axis, x.shape)[0];
      const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, a);
      const begin = new Array<number>(x.shape.length).fill(0);
      return sizes.map((s) => {
        const size = [...x.shape];
        size[a] = s;
        const part = sliceInto(args.backend as BackendWasm, x, begin, size);
        begin[a] += s;
        return part;
      });
    },
  };
}
