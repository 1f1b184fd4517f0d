import * as tf from '@tensorflow/tfjs';

/**
 * Comparisons are piecewise constant, so their gradient is zero almost everywhere. TF.js registers
 * none, which breaks second-order gradients through LeakyReLU (its gradient uses `greater`), i.e. the
 * gradient penalty of WGAN-GP.
 */
function zeroGradient(kernelName: string): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (_dy, saved) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      return { a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) };
    },
  };
}

export const comparisonGradientConfigs: tf.GradConfig[] = ['Greater', 'Less', 'GreaterEqual', 'LessEqual'].map(zeroGradient);
