import * as tf from '@tensorflow/tfjs';

/**
 * `ResizeNearestNeighborGrad` for whole-number scale factors (the generator's 2× up-sampling): each
 * input cell's gradient is the sum over the block it was copied to, i.e. an average pool times the
 * block size, which runs on XNNPACK; the backend's own kernel is a scalar loop several times slower.
 * Other cases go to the backend's own kernel.
 */
export function resizeNearestNeighborGradConfig(fallback: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName: 'ResizeNearestNeighborGrad',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { images, dy } = args.inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
      const { alignCorners, halfPixelCenters } = args.attrs as { alignCorners: boolean; halfPixelCenters: boolean };
      const [fh, fw] = [dy.shape[1] / images.shape[1], dy.shape[2] / images.shape[2]];
      const whole = Number.isInteger(fh) && Number.isInteger(fw) && images.shape.length === 4 && dy.dtype === 'float32';
      if ((alignCorners || halfPixelCenters || !whole) && fallback) return fallback.kernelFunc(args);
      // The wrapping tensor is disposed at the end; it must hold a reference of its own.
      (args.backend as tf.KernelBackend).incRef(dy.dataId);
      return tf.tidy(() => {
        const grad = tf.engine().makeTensorFromTensorInfo(dy) as tf.Tensor4D;
        return tf.mul(tf.avgPool(grad, [fh, fw], [fh, fw], 'valid'), fh * fw);
      });
    },
  };
}
