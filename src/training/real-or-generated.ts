import * as tf from '@tensorflow/tfjs';
import type { Note } from '../music/melody.js';
import { writeTrackRoll } from '../inference/window-codec.js';
import { seededRandom } from '../music/seeded-random.js';
import { InvalidInputError } from '../errors.js';

/** How well a small classifier tells real windows from generated ones (0.5 = not at all). */
export interface RealOrGenerated {
  /** Accuracy on held-out pairs: 0.5 means the generated music cannot be told from the real. */
  readonly accuracy: number;
  /** Melody windows used: each gives one real and one generated window. */
  readonly pairs: number;
  readonly trainPairs: number;
  readonly testPairs: number;
  readonly epochs: number;
}

export interface RealOrGeneratedOptions {
  readonly steps: number;
  readonly pitchLow: number;
  readonly pitchCount: number;
  readonly seed: number;
  /** At most this many pairs, spread evenly over the windows given. */
  readonly maxPairs?: number;
  readonly epochs?: number;
}


function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Trains a small convolutional classifier on real and generated windows (the same melodies, all tracks,
 * so that how the parts fit the melody counts too) and measures it on pairs it did not see. Pairs, not
 * windows, are split 70/30, so that no melody is on both sides.
 */
export async function realOrGenerated(
  real: readonly (readonly (readonly Note[])[])[],
  generated: readonly (readonly (readonly Note[])[])[],
  o: RealOrGeneratedOptions,
): Promise<RealOrGenerated> {
  if (real.length !== generated.length || real.length < 10) throw new InvalidInputError(`need at least 10 pairs of real and generated windows (got ${real.length} and ${generated.length}); measure on a larger split or more pieces`, { real: real.length, generated: generated.length });
  const stride = Math.max(1, Math.ceil(real.length / (o.maxPairs ?? 1000)));
  const indices = real.map((_, i) => i).filter((i) => i % stride === 0);
  const next = seededRandom(o.seed);
  const order = shuffled(indices, next);
  const cut = Math.round(order.length * 0.7);
  const tracks = real[0].length;
  const epochs = o.epochs ?? 8;

  const tensors = (pairs: readonly number[]) => {
    const examples = shuffled(pairs.flatMap((i) => [{ notes: real[i], label: 1 }, { notes: generated[i], label: 0 }]), next);
    const size = o.steps * o.pitchCount;
    const rolls = new Float32Array(examples.length * size * tracks);
    examples.forEach((e, slot) => writeTrackRoll(e.notes, slot, rolls, { steps: o.steps, pitches: o.pitchCount, pitchLow: o.pitchLow, tracks }));
    return {
      x: tf.tensor4d(rolls, [examples.length, o.steps, o.pitchCount, tracks]),
      y: tf.tensor2d(examples.map((e) => e.label), [examples.length, 1]),
    };
  };

  const seeded = (k: number) => tf.initializers.glorotUniform({ seed: o.seed + k });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [o.steps, o.pitchCount, tracks], filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: seeded(1) }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: seeded(2) }),
      tf.layers.flatten(),
      tf.layers.dropout({ rate: 0.3, seed: o.seed }),
      tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: seeded(3) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const train = tensors(order.slice(0, cut));
  const test = tensors(order.slice(cut));
  try {
    await model.fit(train.x, train.y, { epochs, batchSize: 32, shuffle: false, verbose: 0 });
    const predictions = tf.tidy(() => (model.predict(test.x) as tf.Tensor).greater(0.5).cast('float32').equal(test.y).mean());
    const accuracy = (await predictions.data())[0];
    predictions.dispose();
    return { accuracy: Math.round(accuracy * 1000) / 1000, pairs: order.length, trainPairs: cut, testPairs: order.length - cut, epochs };
  } finally {
    for (const t of [train.x, train.y, test.x, test.y]) t.dispose();
    model.dispose();
  }
}
