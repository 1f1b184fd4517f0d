import * as tf from '@tensorflow/tfjs';

/**
 * The taps of a 2× nearest up-sampling followed by a stride-1 'same' convolution of kernel k, seen from
 * the low-resolution input: output row 2m + p reads input rows m + offset. Returns the offsets' range
 * and, per phase p, the map from the k kernel taps to the window's taps.
 */
export function upsampledTaps(k: number): { low: number; taps: number; phase: number[][][] } {
  const top = Math.floor((k - 1) / 2);
  const offset = (p: number, i: number) => Math.floor((p - top + i) / 2);
  const low = Math.min(offset(0, 0), offset(1, 0));
  const taps = Math.max(offset(0, k - 1), offset(1, k - 1)) - low + 1;
  const phase = [0, 1].map((p) => {
    const m = Array.from({ length: taps }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < k; i++) m[offset(p, i) - low][i] = 1;
    return m;
  });
  return { low, taps, phase };
}

/**
 * The phase filter of `upsampledConv`: [taps, taps, ci, 4·co], channel (2p + q)·co + o holding the sum
 * of the kernel taps that phase (p, q) reads at window tap (a, b). Plain loops over the values, forward
 * and back (the map is a sum of at most four taps per value; as a matrix product on wasm it cost more
 * than the convolution it feeds).
 */
export function phaseKernel(kernel: tf.Tensor4D): tf.Tensor4D {
  const [k, , ci, co] = kernel.shape;
  const { taps, phase } = upsampledTaps(k);
  // window tap of kernel tap i in phase p, and the kernel taps of window tap a in phase p
  const tap = [0, 1].map((p) => Array.from({ length: k }, (_, i) => phase[p].findIndex((row) => row[i] === 1)));
  const rows = [0, 1].map((p) => Array.from({ length: taps }, (_, a) => tap[p].flatMap((t, i) => (t === a ? [i] : []))));
  // Both loops walk their output in order (scattered writes cost several times the additions).
  return tf.customGrad((w) => {
    const from = (w as tf.Tensor).dataSync();
    const to = new Float32Array(taps * taps * ci * 4 * co);
    let dst = 0;
    for (let a = 0; a < taps; a++) for (let b = 0; b < taps; b++) for (let c = 0; c < ci; c++) for (let p = 0; p < 2; p++) for (let q = 0; q < 2; q++, dst += co) {
      for (const i of rows[p][a]) {
        for (const j of rows[q][b]) {
          const src = ((i * k + j) * ci + c) * co;
          for (let o = 0; o < co; o++) to[dst + o] += from[src + o];
        }
      }
    }
    return {
      value: tf.tensor4d(to, [taps, taps, ci, 4 * co]),
      gradFunc: (dy) => {
        const grad = (dy as tf.Tensor).dataSync();
        const dw = new Float32Array(k * k * ci * co);
        let out = 0;
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let c = 0; c < ci; c++, out += co) {
          for (let p = 0; p < 2; p++) {
            for (let q = 0; q < 2; q++) {
              const src = (((tap[p][i] * taps + tap[q][j]) * ci + c) * 4 + 2 * p + q) * co;
              for (let o = 0; o < co; o++) dw[out + o] += grad[src + o];
            }
          }
        }
        return tf.tensor4d(dw, [k, k, ci, co]);
      },
    };
  })(kernel) as tf.Tensor4D;
}

/** An up-sampling-then-convolution as `phasedConv` runs it: the phase filter, its bias, and the padding they need. */
export interface PhasedFilter {
  readonly filter: tf.Tensor4D;
  readonly bias: tf.Tensor1D | undefined;
  readonly pad: [[number, number], [number, number], [number, number], [number, number]];
}

/** The phase filter of a square kernel and its bias (tiled over the 4 phases); the caller owns the tensors. */
export function phasedFilter(kernel: tf.Tensor4D, bias: tf.Tensor1D | undefined): PhasedFilter {
  const [kh, kw] = kernel.shape;
  if (kh !== kw) throw new RangeError(`upsampledConv takes square kernels, got ${kh}×${kw}`);
  const { low, taps } = upsampledTaps(kh);
  return { filter: phaseKernel(kernel), bias: bias ? tf.tile(bias, [4]) : undefined, pad: [[0, 0], [-low, taps - 1 + low], [-low, taps - 1 + low], [0, 0]] };
}

/** x up-sampled by 2 and convolved, by the phases of `f`: one convolution of x, then DepthToSpace. */
export function phasedConv(x: tf.Tensor4D, f: PhasedFilter): tf.Tensor4D {
  return tf.tidy(() => tf.depthToSpace(tf.fused.conv2d({ x, filter: f.filter, strides: 1, pad: f.pad, bias: f.bias }), 2));
}

/**
 * Up-sampling by 2 (nearest) then a stride-1 'same' convolution, computed as one convolution of the
 * low-resolution input whose 4 output phases are interleaved by DepthToSpace (sub-pixel convolution):
 * the same function with 9/16 of the arithmetic for 4×4 kernels, and no 4× larger input. The phase
 * filter is a linear map of the layer's kernel, so gradients reach the kernel as before.
 */
export function upsampledConv(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D | undefined): tf.Tensor4D {
  return tf.tidy(() => phasedConv(x, phasedFilter(kernel, bias)));
}
