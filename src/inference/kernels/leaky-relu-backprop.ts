import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView } from './wasm-heap.js';

const KERNEL = 'ContinuoLeakyReluBackprop';

/**
 * The gradient of LeakyReLU, dy where x > 0 else α·dy, in one pass on wasm. TF.js computes it as
 * Greater, Multiply and Select (which copies both branches to broadcast them), four passes over every
 * activation, twice over in the gradient penalty's second-order gradients. Other backends keep that.
 */
export function leakyReluBackprop(x: tf.Tensor, dy: tf.Tensor, alpha: number): tf.Tensor {
  const fused = tf.getBackend() === 'wasm' && x.dtype === 'float32' && dy.dtype === 'float32' && tf.util.arraysEqual(x.shape, dy.shape);
  if (fused) return tf.engine().runKernel(KERNEL, { x, dy }, { alpha }) as tf.Tensor;
  return tf.where(tf.greater(x, 0), dy, tf.mul(dy, alpha));
}

export const leakyReluBackpropConfig: tf.KernelConfig = {
  kernelName: KERNEL,
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { alpha } = attrs as { alpha: number };
    const wasm = backend as BackendWasm;
    const out = wasm.makeOutput([...x.shape], 'float32');
    const xs = heapView(wasm, x);
    const g = heapView(wasm, dy);
    const to = heapView(wasm, out);
    for (let i = 0; i < to.length; i++) to[i] = xs[i] > 0 ? g[i] : alpha * g[i];
    return out;
  },
};

/** LeakyReLU's gradient through the fused kernel. */
export const leakyReluGradConfig: tf.GradConfig = {
  kernelName: 'LeakyRelu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const { alpha } = attrs as unknown as { alpha: number };
    return { x: () => leakyReluBackprop(x, dy as tf.Tensor, alpha) };
  },
};

/** The fused kernel's own gradient: linear in dy, and piecewise constant (zero almost everywhere) in x. */
export const leakyReluBackpropGradConfig: tf.GradConfig = {
  kernelName: KERNEL,
  inputsToSave: ['x'],
  gradFunc: (ddx, saved, attrs) => {
    const [x] = saved;
    const { alpha } = attrs as unknown as { alpha: number };
    return { dy: () => leakyReluBackprop(x, ddx as tf.Tensor, alpha), x: () => tf.zerosLike(x) };
  },
};
