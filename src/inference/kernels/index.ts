import * as tf from '@tensorflow/tfjs';
import { comparisonGradientConfigs } from './comparison-gradients.js';
import { concatConfig } from './concat.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthToSpaceConfig, depthToSpaceGradConfig } from './depth-to-space.js';
import { gatherConfig } from './gather.js';
import { leakyReluBackpropConfig, leakyReluBackpropGradConfig, leakyReluGradConfig } from './leaky-relu-backprop.js';
import { resizeNearestNeighborGradConfig } from './resize-nearest-neighbor-grad.js';
import { sliceConfig, splitVConfig } from './slice.js';
import { tileConfig } from './tile.js';
import { transposeConfig } from './transpose.js';

let registered = false;

/**
 * Replaces the wasm backend's kernel of that name with one made from it (its fallback), keeping its
 * set-up, which binds the wasm functions the fallback calls when the backend starts.
 */
function replaceWasmKernel(name: string, make: (own: tf.KernelConfig | undefined) => tf.KernelConfig): void {
  const own = tf.getKernel(name, 'wasm');
  if (own) tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...make(own), ...(own?.setupFunc ? { setupFunc: own.setupFunc } : {}) });
}

/** Registers the kernels and gradients TF.js lacks for training here, and faster wasm ones. Idempotent. */
export function registerMissingKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of comparisonGradientConfigs) {
    if (!tf.getGradient(config.kernelName)) tf.registerGradient(config);
  }
  if (!tf.getGradient(depthToSpaceGradConfig.kernelName)) tf.registerGradient(depthToSpaceGradConfig);
  tf.registerGradient(leakyReluGradConfig);
  tf.registerGradient(leakyReluBackpropGradConfig);
  tf.registerKernel(leakyReluBackpropConfig);
  if (!tf.getKernel(conv2dBackpropFilterConfig.kernelName, 'wasm')) tf.registerKernel(conv2dBackpropFilterConfig);
  replaceWasmKernel('Conv2DBackpropInput', conv2dBackpropInputConfig);
  replaceWasmKernel('Slice', sliceConfig);
  replaceWasmKernel('SplitV', splitVConfig);
  replaceWasmKernel('Concat', concatConfig);
  replaceWasmKernel('Tile', tileConfig);
  replaceWasmKernel('ResizeNearestNeighborGrad', resizeNearestNeighborGradConfig);
  replaceWasmKernel('DepthToSpace', depthToSpaceConfig);
  replaceWasmKernel('Transpose', transposeConfig);
  replaceWasmKernel('GatherV2', gatherConfig);
}
