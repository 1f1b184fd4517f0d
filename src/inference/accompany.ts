import type * as tf from '@tensorflow/tfjs';
import type { ChordSpan } from '../music/chord.js';
import type { Note } from '../music/melody.js';
import { runGenerator } from './generate.js';
import { WindowCodec, type CodecCard } from './window-codec.js';

export interface AccompanySetup {
  readonly generator: tf.LayersModel;
  readonly card: CodecCard;
}

/** A ready-cut window: its tracks (track 0 the melody) and, for chord-conditioned models, its chords. */
export interface MeasuredWindow {
  readonly tracks: readonly (readonly Note[])[];
  readonly chords?: readonly ChordSpan[];
}

/**
 * The generator's raw output (tanh, NHWC) for ready-cut windows' melodies (track 0) and chords,
 * batch by batch; batch `from` uses seed `seed + from`, so that the same windows give the same output.
 */
export async function* generatorOutputs(
  s: AccompanySetup,
  windows: readonly MeasuredWindow[],
  seed: number,
  batchSize = 64,
): AsyncGenerator<{ readonly from: number; readonly count: number; readonly values: Float32Array }> {
  const codec = new WindowCodec(s.card);
  for (let from = 0; from < windows.length; from += batchSize) {
    const batch = windows.slice(from, from + batchSize);
    const conditions = codec.conditionBuffer(batch.length);
    batch.forEach((w, i) => codec.writeCondition({ melody: w.tracks[0], chords: w.chords }, i, conditions));
    yield { from, count: batch.length, values: await runGenerator(s.generator, s.card.network, conditions, batch.length, seed + from) };
  }
}

/**
 * Accompanies ready-cut windows in batches, keeping each window's melody: how training and
 * evaluation measure a generator on real melodies.
 */
export async function accompanyWindows(s: AccompanySetup, windows: readonly MeasuredWindow[], seed: number, batchSize = 64): Promise<Note[][][]> {
  const codec = new WindowCodec(s.card);
  const options = codec.trackOptions();
  const out: Note[][][] = [];
  for await (const { from, count, values } of generatorOutputs(s, windows, seed, batchSize)) {
    codec.decode(values, count, options).forEach((tracks, i) => {
      out.push(s.card.tracks.map((t, k) => (t.role === 'melody' ? [...windows[from + i].tracks[0]] : tracks[k])));
    });
  }
  return out;
}
