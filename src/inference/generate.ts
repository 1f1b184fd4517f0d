import * as tf from '@tensorflow/tfjs';
import { sampleNoise, type NetworkSpec } from './networks.js';

/**
 * One batched forward pass of the generator over `count` condition windows (NHWC floats, −1/+1; see WindowCodec).
 * Same seed ⇒ same noise ⇒ same output; `temperature` scales the noise. Every tensor made here is released before it returns.
 */
export async function runGenerator(
  generator: tf.LayersModel,
  spec: NetworkSpec,
  melodies: Float32Array,
  count: number,
  seed?: number,
  temperature = 1,
): Promise<Float32Array> {
  const output = tf.tidy(() => {
    const melody = tf.tensor4d(melodies, [count, spec.steps, spec.pitches, spec.conditionChannels ?? 1]);
    const z = tf.mul(sampleNoise(spec, count, seed), temperature);
    return generator.apply([melody, z], { training: false }) as tf.Tensor;
  });
  try {
    return (await output.data()) as Float32Array;
  } finally {
    output.dispose();
  }
}
