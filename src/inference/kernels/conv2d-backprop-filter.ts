import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView } from './wasm-heap.js';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/**
 * `Conv2DBackpropFilter` for backends that lack it (TF.js wasm). The filter gradient of a convolution is
 * itself a convolution: with the batch moved into the channel axis, the input convolved with the output
 * gradient (dilated by the stride) yields dW. That runs on the backend's fast Conv2D (XNNPACK in wasm);
 * im2col + BatchMatMul measured 10–30× slower here. The input is padded and moved to [ci, H, W, n] in
 * one pass here (a pad and a transpose were a tenth of a training step).
 */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const wasm = backend as BackendWasm;
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
      strides: [number, number] | number;
      pad: Pad;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      filterShape: [number, number, number, number];
    };
    const engine = tf.engine();
    // The tensors made from these infos below are disposed at the end; they must hold a reference of
    // their own or the disposal would free the caller's data.
    wasm.incRef(dy.dataId);
    if (dataFormat === 'NCHW') {
      wasm.incRef(x.dataId);
      return tf.tidy(() => {
        const xs = tf.transpose(engine.makeTensorFromTensorInfo(x) as tf.Tensor4D, [0, 2, 3, 1]);
        const dys = tf.transpose(engine.makeTensorFromTensorInfo(dy) as tf.Tensor4D, [0, 2, 3, 1]);
        const info = tf.backend_util.computeConv2DInfo(xs.shape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
        return filterGradient(tf.transpose(tf.pad(xs, padding(info, xs.shape)), [3, 1, 2, 0]), dys, info, filterShape);
      });
    }
    const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const xT = paddedChannelsFirst(wasm, x, padding(info, x.shape));
    return tf.tidy(() => filterGradient(engine.makeTensorFromTensorInfo(xT) as tf.Tensor4D, engine.makeTensorFromTensorInfo(dy) as tf.Tensor4D, info, filterShape));
  },
};

/** Padding so that every filter tap reads inside the input; extra rows at the end are never read. */
function padding(info: tf.backend_util.Conv2DInfo, shape: readonly number[]): [[number, number], [number, number], [number, number], [number, number]] {
  const { top, bottom, left, right } = info.padInfo;
  const needH = (info.outHeight - 1) * info.strideHeight + info.filterHeight;
  const needW = (info.outWidth - 1) * info.strideWidth + info.filterWidth;
  return [[0, 0], [top, Math.max(bottom, needH - shape[1] - top)], [left, Math.max(right, needW - shape[2] - left)], [0, 0]];
}

/**
 * x [n, H, W, ci] zero-padded and moved to [ci, H', W', n]: a few cells at a time, each window's rows read
 * whole for every window in turn, so that reads and writes both stay within a few kilobytes.
 */
function paddedChannelsFirst(backend: BackendWasm, x: tf.TensorInfo, pads: ReturnType<typeof padding>): tf.TensorInfo {
  const [n, h, w, c] = x.shape;
  const [, [top, bottom], [left, right]] = pads;
  const [hp, wp] = [h + top + bottom, w + left + right];
  const out = backend.makeOutput([c, hp, wp, n], x.dtype);
  const from = heapView(backend, x);
  const to = heapView(backend, out);
  to.fill(0);
  const plane = hp * wp * n; // between channels of the output
  const block = Math.max(1, Math.floor(128 / c)); // cells per block
  for (let y = 0; y < h; y++) {
    for (let x0 = 0; x0 < w; x0 += block) {
      const cells = Math.min(block, w - x0);
      for (let b = 0; b < n; b++) {
        let i = ((b * h + y) * w + x0) * c;
        for (let k = 0; k < cells; k++) {
          const cell = ((y + top) * wp + x0 + k + left) * n + b;
          for (let ch = 0; ch < c; ch++, i++) to[ch * plane + cell] = from[i];
        }
      }
    }
  }
  return out;
}

/** dW from the padded input as [ci, H', W', n] and the output gradient [n, outH, outW, co]. */
function filterGradient(xT: tf.Tensor4D, dy: tf.Tensor4D, info: tf.backend_util.Conv2DInfo, filterShape: readonly number[]): tf.Tensor4D {
  const [kh, kw, ci, co] = filterShape;
  const dyAsFilter = tf.transpose(dy, [1, 2, 0, 3]); // [outH, outW, n, co]
  const full = tf.conv2d(xT, dyAsFilter, 1, 'valid', 'NHWC', [info.strideHeight, info.strideWidth]);
  const dw = tf.slice(full, [0, 0, 0, 0], [ci, kh, kw, co]);
  return tf.transpose(dw, [1, 2, 0, 3]);
}
