import * as tf from '@tensorflow/tfjs';
import { sampleNoise, type NetworkSpec } from './networks.js';
import { distinctWindows } from './distinct-windows.js';
import { applyGenerator } from './generator-graph.js';

/** Windows of one request in a batched pass: their own seed and temperature, so that batching changes no result. */
export interface NoisePart {
  readonly count: number;
  readonly seed?: number;
  readonly temperature?: number;
}

/**
 * One batched forward pass of the generator over `count` condition windows (NHWC floats, −1/+1; see WindowCodec).
 * Same seed ⇒ same noise ⇒ same output; `temperature` scales the noise. Every tensor made here is released before it returns.
 */
export function runGenerator(
  generator: tf.LayersModel,
  spec: NetworkSpec,
  melodies: Float32Array,
  count: number,
  seed?: number,
  temperature = 1,
): Promise<Float32Array> {
  return runGeneratorParts(generator, spec, melodies, [{ count, seed, temperature }]);
}

/**
 * One forward pass over the windows of several requests, laid out one after another in `melodies`;
 * each part's noise comes from its own seed, as if it ran alone.
 */
export async function runGeneratorParts(generator: tf.LayersModel, spec: NetworkSpec, melodies: Float32Array, parts: readonly NoisePart[]): Promise<Float32Array> {
  const count = parts.reduce((sum, p) => sum + p.count, 0);
  const channels = spec.conditionChannels ?? 1;
  const size = spec.steps * spec.pitches * channels;
  // Variations, and compositions of one melody batched together, repeat their condition windows.
  const distinct = distinctWindows(melodies, count, size);
  const output = tf.tidy(() => {
    const noises = parts.map((p) => tf.mul(sampleNoise(spec, p.count, p.seed), p.temperature ?? 1));
    const z = noises.length === 1 ? noises[0] : tf.concat(noises);
    const shared = distinct.first.length < count;
    let rows = melodies;
    if (shared) {
      rows = new Float32Array(distinct.first.length * size);
      distinct.first.forEach((w, i) => rows.set(melodies.subarray(w * size, (w + 1) * size), i * size));
    }
    const condition = tf.tensor4d(rows, [distinct.first.length, spec.steps, spec.pitches, channels]);
    return applyGenerator(generator, condition, shared ? distinct.of : null, z) ?? (generator.apply([shared ? tf.gather(condition, tf.tensor1d(distinct.of, 'int32')) : condition, z], { training: false }) as tf.Tensor);
  });
  try {
    return (await output.data()) as Float32Array;
  } finally {
    output.dispose();
  }
}
