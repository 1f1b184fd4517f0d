import * as tf from '@tensorflow/tfjs';
import { comparisonGradientConfigs } from './comparison-gradients.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';

let registered = false;

/** Registers the kernels and gradients TF.js lacks for training here. Idempotent. */
export function registerMissingKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of comparisonGradientConfigs) {
    if (!tf.getGradient(config.kernelName)) tf.registerGradient(config);
  }
  if (!tf.getKernel(conv2dBackpropFilterConfig.kernelName, 'wasm')) tf.registerKernel(conv2dBackpropFilterConfig);
  const ownInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (ownInput) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel(conv2dBackpropInputConfig(ownInput));
}
