import type * as tf from '@tensorflow/tfjs';
import type { Note } from '../music/melody.js';
import { decodeWindows } from './decode.js';
import { runGenerator } from './generate.js';
import type { NetworkSpec } from './networks.js';
import { writeWindow } from './window-tensor.js';

export interface AccompanySetup {
  readonly generator: tf.LayersModel;
  readonly spec: NetworkSpec;
  readonly pitchLow: number;
  /** Decoding threshold of tracks that have none of their own. */
  readonly threshold: number;
  readonly tracks: readonly {
    readonly role: 'melody' | 'accompaniment';
    readonly monophonic: boolean;
    readonly range?: { low: number; high: number };
    readonly threshold?: number;
  }[];
}

/**
 * The generator's raw output (tanh, NHWC) for ready-cut windows' melodies (track 0), batch by batch;
 * batch `from` uses seed `seed + from`, so that the same windows give the same output.
 */
export async function* generatorOutputs(
  s: Pick<AccompanySetup, 'generator' | 'spec' | 'pitchLow'>,
  windows: readonly (readonly (readonly Note[])[])[],
  seed: number,
  batchSize = 64,
): AsyncGenerator<{ readonly from: number; readonly count: number; readonly values: Float32Array }> {
  const { spec, pitchLow } = s;
  for (let from = 0; from < windows.length; from += batchSize) {
    const batch = windows.slice(from, from + batchSize);
    const melodies = new Float32Array(batch.length * spec.steps * spec.pitches);
    const scratch = new Float32Array(batch.length * spec.steps * spec.pitches * spec.tracks);
    batch.forEach((w, i) => writeWindow(w.slice(0, 1), i, melodies, scratch, spec.steps, pitchLow, spec.pitches));
    yield { from, count: batch.length, values: await runGenerator(s.generator, spec, melodies, batch.length, seed + from) };
  }
}

/**
 * Accompanies ready-cut windows (track 0 = melody, as note lists) in batches, keeping each window's
 * melody: how training and evaluation measure a generator on real melodies.
 */
export async function accompanyWindows(
  s: AccompanySetup,
  windows: readonly (readonly (readonly Note[])[])[],
  seed: number,
  batchSize = 64,
): Promise<Note[][][]> {
  const { spec, pitchLow } = s;
  const out: Note[][][] = [];
  for await (const { from, count, values } of generatorOutputs(s, windows, seed, batchSize)) {
    const rolls = decodeWindows(values, count, {
      steps: spec.steps, pitches: spec.pitches, tracks: spec.tracks, pitchLow,
      thresholds: s.tracks.map((t) => t.threshold ?? s.threshold),
      monophonic: s.tracks.map((t) => t.monophonic),
      ranges: s.tracks.map((t) => t.range),
    });
    rolls.forEach((roll, i) => out.push(s.tracks.map((t, k) => (t.role === 'melody' ? [...windows[from + i][0]] : roll.notes(k)))));
  }
  return out;
}
