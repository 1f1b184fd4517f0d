import * as tf from '@tensorflow/tfjs';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/**
 * A faster `Conv2DBackpropInput` for TF.js wasm, whose own kernel is a plain loop (≈10× slower than
 * its XNNPACK Conv2D; it dominated a generator training step). The input gradient of a convolution is
 * a stride-1 convolution of the output gradient, dilated by the stride, with the flipped filter.
 * Falls back to the backend's own kernel for NCHW.
 */
export function conv2dBackpropInputConfig(fallback: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { inputs, attrs, backend } = args;
      const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
        strides: [number, number] | number;
        pad: Pad;
        dataFormat: 'NHWC' | 'NCHW';
        dimRoundingMode?: 'floor' | 'round' | 'ceil';
        inputShape: [number, number, number, number];
      };
      if (dataFormat === 'NCHW' && fallback) return fallback.kernelFunc(args);
      // See conv2d-backprop-filter.ts: the wrapping tensors are disposed at the end.
      (backend as tf.KernelBackend).incRef(dy.dataId);
      (backend as tf.KernelBackend).incRef(filter.dataId);
      const engine = tf.engine();
      return tf.tidy(() => {
        const dyT = engine.makeTensorFromTensorInfo(dy) as tf.Tensor4D;
        const w = engine.makeTensorFromTensorInfo(filter) as tf.Tensor4D;
        const [kh, kw, , co] = w.shape;
        const info = tf.backend_util.computeConv2DInfo(inputShape, w.shape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
        const n = inputShape[0];
        const [sh, sw] = [info.strideHeight, info.strideWidth];
        const { top, left } = info.padInfo;
        const [ho, wo] = [dyT.shape[1], dyT.shape[2]];
        // Insert stride−1 zeros between output-gradient cells.
        let dilated: tf.Tensor4D = dyT;
        if (sh > 1 || sw > 1) {
          const spread = tf.pad(tf.reshape(dyT, [n, ho, 1, wo, 1, co]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
          dilated = tf.slice(tf.reshape(spread, [n, ho * sh, wo * sw, co]) as tf.Tensor4D, [0, 0, 0, 0], [n, (ho - 1) * sh + 1, (wo - 1) * sw + 1, co]);
        }
        const before = [kh - 1 - top, kw - 1 - left];
        const after = [
          inputShape[1] + kh - 1 - before[0] - dilated.shape[1],
          inputShape[2] + kw - 1 - before[1] - dilated.shape[2],
        ];
        // Negative padding crops.
        const padded = tf.pad(dilated, [[0, 0], [Math.max(0, before[0]), Math.max(0, after[0])], [Math.max(0, before[1]), Math.max(0, after[1])], [0, 0]]);
        const cropped = tf.slice(padded, [0, Math.max(0, -before[0]), Math.max(0, -before[1]), 0], [n, inputShape[1] + kh - 1, inputShape[2] + kw - 1, co]);
        const flipped = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]); // [kh, kw, co, ci]
        const dx = tf.conv2d(cropped, flipped, 1, 'valid');
        return dx;
      });
    },
  };
}
