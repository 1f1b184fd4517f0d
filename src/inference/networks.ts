import * as tf from '@tensorflow/tfjs';

/**
 * The DeepComposer/MuseGAN-style conditional GAN (DESIGN.md §3), sized by `filters`: a U-Net generator
 * that turns a melody roll plus noise into every track (the melody too), and a convolutional critic
 * that scores (melody, tracks) pairs. With `filters` 64 and 128 pitches this is the reference network.
 */
export interface NetworkSpec {
  /** Time steps per window (2 bars of 4/4 at 4 steps per beat = 32). Divisible by 16. */
  readonly steps: number;
  /** Pitch rows. Divisible by 16. */
  readonly pitches: number;
  /** Output tracks, the melody track included. */
  readonly tracks: number;
  /** Filters of the first down block; the others have 2×, 4×, 8×. */
  readonly filters: number;
  /** Channels of the noise z at the bottleneck (steps/16 × pitches/16 × noiseChannels). */
  readonly noiseChannels: number;
  /** Input channels besides the noise: 1 (the melody) or 2 (melody and chord tones). Default 1. */
  readonly conditionChannels?: number;
}

const KERNEL = 4;
const LEAK = 0.2;
const BN_MOMENTUM = 0.8;

export function noiseShape(spec: NetworkSpec): [number, number, number] {
  return [spec.steps / 16, spec.pitches / 16, spec.noiseChannels];
}

export function validateSpec(spec: NetworkSpec): void {
  for (const key of ['steps', 'pitches'] as const) {
    if (spec[key] % 16 !== 0 || spec[key] <= 0) throw new RangeError(`${key} must be a positive multiple of 16, got ${spec[key]}`);
  }
  for (const key of ['tracks', 'filters', 'noiseChannels'] as const) {
    if (!Number.isInteger(spec[key]) || spec[key] <= 0) throw new RangeError(`${key} must be a positive integer, got ${spec[key]}`);
  }
}

function conv(filters: number, strides: number, name: string): tf.layers.Layer {
  return tf.layers.conv2d({ filters, kernelSize: KERNEL, strides, padding: 'same', kernelInitializer: 'heNormal', name });
}

export function buildGenerator(spec: NetworkSpec): tf.LayersModel {
  validateSpec(spec);
  const f = spec.filters;
  const melody = tf.input({ shape: [spec.steps, spec.pitches, spec.conditionChannels ?? 1], name: 'melody' });
  const z = tf.input({ shape: noiseShape(spec), name: 'z' });

  const down = (x: tf.SymbolicTensor, filters: number, i: number, norm: boolean): tf.SymbolicTensor => {
    let y = conv(filters, 2, `down${i}_conv`).apply(x) as tf.SymbolicTensor;
    y = tf.layers.leakyReLU({ alpha: LEAK, name: `down${i}_act` }).apply(y) as tf.SymbolicTensor;
    if (norm) y = tf.layers.batchNormalization({ momentum: BN_MOMENTUM, name: `down${i}_bn` }).apply(y) as tf.SymbolicTensor;
    return y;
  };
  const up = (x: tf.SymbolicTensor, skip: tf.SymbolicTensor, filters: number, i: number): tf.SymbolicTensor => {
    let y = tf.layers.upSampling2d({ size: [2, 2], name: `up${i}_resize` }).apply(x) as tf.SymbolicTensor;
    y = conv(filters, 1, `up${i}_conv`).apply(y) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization({ momentum: BN_MOMENTUM, name: `up${i}_bn` }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.reLU({ name: `up${i}_act` }).apply(y) as tf.SymbolicTensor;
    return tf.layers.concatenate({ name: `up${i}_skip` }).apply([y, skip]) as tf.SymbolicTensor;
  };

  const d1 = down(melody, f, 1, false);
  const d2 = down(d1, 2 * f, 2, true);
  const d3 = down(d2, 4 * f, 3, true);
  const d4 = down(d3, 8 * f, 4, true);
  const bottleneck = tf.layers.concatenate({ name: 'noise' }).apply([d4, z]) as tf.SymbolicTensor;
  const u1 = up(bottleneck, d3, 4 * f, 1);
  const u2 = up(u1, d2, 2 * f, 2);
  const u3 = up(u2, d1, f, 3);
  let out = tf.layers.upSampling2d({ size: [2, 2], name: 'out_resize' }).apply(u3) as tf.SymbolicTensor;
  out = tf.layers.conv2d({ filters: spec.tracks, kernelSize: KERNEL, padding: 'same', activation: 'tanh', name: 'tracks' }).apply(out) as tf.SymbolicTensor;
  return tf.model({ inputs: [melody, z], outputs: out, name: 'generator' });
}

export function buildCritic(spec: NetworkSpec): tf.LayersModel {
  validateSpec(spec);
  const input = tf.input({ shape: [spec.steps, spec.pitches, spec.tracks + (spec.conditionChannels ?? 1)], name: 'melody_and_tracks' });
  let x: tf.SymbolicTensor = input;
  [1, 2, 4, 8].forEach((m, i) => {
    x = conv(m * spec.filters, 2, `c${i + 1}_conv`).apply(x) as tf.SymbolicTensor;
    x = tf.layers.leakyReLU({ alpha: LEAK, name: `c${i + 1}_act` }).apply(x) as tf.SymbolicTensor;
  });
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  const score = tf.layers.dense({ units: 1, name: 'score' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: score, name: 'critic' });
}

/** Truncated-normal noise for `count` windows; the same seed gives the same noise. */
export function sampleNoise(spec: NetworkSpec, count: number, seed?: number): tf.Tensor4D {
  return tf.truncatedNormal([count, ...noiseShape(spec)], 0, 1, 'float32', seed);
}
