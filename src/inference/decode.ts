import { PianoRoll } from '../music/piano-roll.js';
import type { Note } from '../music/melody.js';

export interface DecodeOptions {
  readonly steps: number;
  readonly pitches: number;
  readonly tracks: number;
  readonly pitchLow: number;
  /** Per track: cells above this are on (tanh output, −1…1). */
  readonly thresholds: readonly number[];
  /** Per track: keep only the strongest pitch per step. */
  readonly monophonic: readonly boolean[];
  /** Per track: the MIDI pitches it may use (its range in the training data); absent = every row. */
  readonly ranges?: readonly ({ low: number; high: number } | undefined)[];
}

/**
 * Generator output (windows × steps × pitches × tracks, NHWC) → a binary roll per window. Polyphonic
 * tracks threshold every cell; monophonic tracks keep the strongest pitch of a step if it passes.
 * Only pitches within a track's range count (a bass line stays a bass line).
 */
export function decodeWindows(values: Float32Array, count: number, o: DecodeOptions): PianoRoll[] {
  const frame = o.pitches * o.tracks;
  const windowSize = o.steps * frame;
  const rolls: PianoRoll[] = [];
  for (let w = 0; w < count; w++) {
    const roll = new PianoRoll(o.steps, o.pitchLow, o.pitches, o.tracks);
    const base = w * windowSize;
    for (let s = 0; s < o.steps; s++) {
      for (let t = 0; t < o.tracks; t++) {
        const range = o.ranges?.[t];
        const from = range ? Math.max(0, range.low - o.pitchLow) : 0;
        const to = range ? Math.min(o.pitches, range.high - o.pitchLow + 1) : o.pitches;
        if (o.monophonic[t]) {
          let best = -1;
          let bestValue = o.thresholds[t];
          for (let p = from; p < to; p++) {
            const v = values[base + s * frame + p * o.tracks + t];
            if (v > bestValue) {
              best = p;
              bestValue = v;
            }
          }
          if (best >= 0) roll.data[roll.index(s, best, t)] = 1;
        } else {
          for (let p = from; p < to; p++) {
            if (values[base + s * frame + p * o.tracks + t] > o.thresholds[t]) roll.data[roll.index(s, p, t)] = 1;
          }
        }
      }
    }
    rolls.push(roll);
  }
  return rolls;
}

/** Notes of every track of consecutive windows joined into one piece. */
export function joinWindows(rolls: readonly PianoRoll[], tracks: number): Note[][] {
  if (rolls.length === 0) return Array.from({ length: tracks }, () => []);
  const steps = rolls[0].steps;
  const joined = new PianoRoll(steps * rolls.length, rolls[0].pitchLow, rolls[0].pitchCount, tracks);
  rolls.forEach((r, i) => joined.data.set(r.data, i * r.data.length));
  return Array.from({ length: tracks }, (_, t) => joined.notes(t));
}
