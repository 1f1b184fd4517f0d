import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Copies between tensors in the wasm heap, for kernels that TF.js wasm implements in JavaScript with a
 * copy of the whole input per call (`readSync`) and one `TypedArray.set` per innermost row: with rows
 * of a few channels that costs tens of nanoseconds per element.
 */
export type HeapArray = Float32Array | Int32Array | Uint8Array;

/** A view of a tensor's data in the heap. Take it after the last allocation: growing the heap detaches views. */
export function heapView(backend: BackendWasm, t: tf.TensorInfo): HeapArray {
  return backend.typedArrayFromHeap(t) as HeapArray;
}

/** Copies `length` elements; short runs by a loop, which beats `set` on a subarray below a few dozen. */
export function copyRun(from: HeapArray, fromOffset: number, to: HeapArray, toOffset: number, length: number): void {
  if (length >= 32) {
    to.set(from.subarray(fromOffset, fromOffset + length), toOffset);
    return;
  }
  for (let i = 0; i < length; i++) to[toOffset + i] = from[fromOffset + i];
}

/** Row-major strides of a shape, one per axis (the last is 1). */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    strides[a] = stride;
    stride *= shape[a];
  }
  return strides;
}
