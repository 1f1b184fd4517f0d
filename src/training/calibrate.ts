import { InvalidInputError } from '../errors.js';
import { generatorOutputs, type MeasuredWindow } from '../inference/accompany.js';
import { WindowCodec } from '../inference/window-codec.js';
import type { ModelCard } from '../inference/model-card.js';
import type { LoadedModel } from '../inference/registry.js';
import { measuredWindows, type Piece } from './dataset.js';

export const CALIBRATION_SEED = 20260202;

/** A threshold that `share` of the values lie above (decoding keeps values strictly above it). */
function exceededBy(values: Float32Array, share: number): number {
  values.sort();
  const above = Math.round(values.length * share);
  if (above >= values.length) return -1;
  return values[values.length - above - 1];
}

/**
 * Per accompaniment track, the decoding threshold at which the model's output on held-out melodies is
 * as busy as the real music of the same windows: a monophonic track sounds on as many steps, a
 * polyphonic one fills as many cells of its range. The melody track gets none (it is the input).
 */
export async function calibrateThresholds(model: LoadedModel, pieces: readonly Piece[], seed = CALIBRATION_SEED): Promise<(number | undefined)[]> {
  const { card } = model;
  const { steps, pitches, tracks } = card.network;
  const windows: MeasuredWindow[] = measuredWindows(pieces, steps, card.pitchLow, pitches);
  if (windows.length === 0) throw new InvalidInputError('no held-out window fits the model: nothing to calibrate on');
  // The rows decoding lets each track use (its range, clamped to the model's rows).
  const rows = new WindowCodec(card).trackOptions().map((o) => ({ from: o.low - card.pitchLow, to: o.high - card.pitchLow + 1 }));
  // Real busyness: steps with a note (monophonic) or on-cells in the range (polyphonic).
  const real = card.tracks.map((t, k) => {
    let on = 0;
    for (const w of windows) {
      const sounding = new Set<number>();
      for (const n of w.tracks[k] ?? []) {
        const p = n.pitch - card.pitchLow;
        for (let s = n.start; s < Math.min(steps, n.start + n.duration); s++) {
          if (t.monophonic) sounding.add(s);
          else if (p >= rows[k].from && p < rows[k].to) sounding.add(s * pitches + p);
        }
      }
      on += sounding.size;
    }
    return on / (windows.length * steps * (t.monophonic ? 1 : rows[k].to - rows[k].from));
  });
  // Generated values: per step the strongest cell (monophonic) or every cell (polyphonic), in range.
  const generated = card.tracks.map((t, k) =>
    new Float32Array(t.role === 'melody' ? 0 : windows.length * steps * (t.monophonic ? 1 : rows[k].to - rows[k].from)),
  );
  const filled = card.tracks.map(() => 0);
  for await (const { count, values } of generatorOutputs({ generator: model.generator, card }, windows, seed)) {
    for (let w = 0; w < count; w++) {
      for (let s = 0; s < steps; s++) {
        const base = (w * steps + s) * pitches * tracks;
        card.tracks.forEach((t, k) => {
          if (t.role === 'melody') return;
          if (t.monophonic) {
            let best = -Infinity;
            for (let p = rows[k].from; p < rows[k].to; p++) best = Math.max(best, values[base + p * tracks + k]);
            generated[k][filled[k]++] = best;
          } else {
            for (let p = rows[k].from; p < rows[k].to; p++) generated[k][filled[k]++] = values[base + p * tracks + k];
          }
        });
      }
    }
  }
  return card.tracks.map((t, k) => (t.role === 'melody' ? undefined : Math.floor(exceededBy(generated[k], real[k]) * 1e5) / 1e5));
}

/** How far below its onset level (a share of the level above −1) a note may fade and still sound. */
export const SUSTAIN_MARGIN = 0.2;

/**
 * The card with calibrated thresholds on its tracks (undefined leaves a track as it is). Chord-
 * conditioned models also get a sustain level below the onset, so that a held note does not flicker.
 */
export function withThresholds(card: ModelCard, thresholds: readonly (number | undefined)[]): ModelCard {
  return {
    ...card,
    tracks: card.tracks.map((t, k) => {
      const threshold = thresholds[k];
      if (threshold === undefined) return t;
      return card.conditioning ? { ...t, threshold, sustain: Math.round((threshold - SUSTAIN_MARGIN * (threshold + 1)) * 10000) / 10000 } : { ...t, threshold };
    }),
  };
}
