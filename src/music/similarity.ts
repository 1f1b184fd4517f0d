import { estimateKey, keyScale } from './key.js';
import { pitchClass } from './chord.js';
import type { Note } from './melody.js';

/**
 * The similarity index (after DeepComposer's): one number, 0…1, for how close the metric profile of
 * generated accompaniment is to that of the real accompaniment of the same melodies. 1 is the same
 * profile. When its curve stops rising, the model has stopped learning what these metrics see.
 *
 * A part's profile, pooled over the windows: its in-scale share, pitch-class histogram, note-length
 * histogram, consonance and dissonance with the melody, empty bars and polyphony. Each feature's
 * distance (a share's absolute difference; a histogram's total-variation distance) lies in 0…1; the
 * index is 1 minus their mean over features and parts.
 */
export interface PartProfile {
  readonly inScale: number;
  readonly pitchClasses: readonly number[];
  readonly lengths: readonly number[];
  readonly consonance: number;
  readonly dissonance: number;
  readonly emptyBars: number;
  readonly polyphony: number;
}

/** Note lengths in steps, binned: 1, 2, 3–4, 5–8, longer. */
const LENGTH_BINS = [1, 2, 4, 8, Infinity];
const CONSONANT = new Set([0, 3, 4, 7, 8, 9]);
const DISSONANT = new Set([1, 2, 6, 10, 11]);

const normalised = (xs: number[]): number[] => {
  const total = xs.reduce((a, b) => a + b, 0);
  return total > 0 ? xs.map((x) => x / total) : xs.map(() => 0);
};

/** One part's profile over windows: each window's melody (its track 0) and the part (its track `k`). */
export function partProfile(windows: readonly (readonly (readonly Note[])[])[], k: number, steps: number, stepsPerBar: number): PartProfile {
  const pcs = new Array<number>(12).fill(0);
  const lengths = new Array<number>(LENGTH_BINS.length).fill(0);
  let noteSteps = 0;
  let inScale = 0;
  let compared = 0;
  let consonant = 0;
  let dissonant = 0;
  let bars = 0;
  let empty = 0;
  let sounding = 0;
  let chordal = 0;
  for (const w of windows) {
    const melody = w[0] ?? [];
    const part = w[k] ?? [];
    const scale = keyScale(estimateKey(melody.length > 0 ? melody : part));
    const lead = new Array<number | undefined>(steps).fill(undefined);
    for (const n of melody) for (let s = Math.max(0, n.start); s < Math.min(steps, n.start + n.duration); s++) lead[s] = n.pitch;
    const perStep = new Array<number>(steps).fill(0);
    for (const n of part) {
      lengths[LENGTH_BINS.findIndex((b) => n.duration <= b)]++;
      for (let s = Math.max(0, n.start); s < Math.min(steps, n.start + n.duration); s++) {
        const pc = pitchClass(n.pitch);
        noteSteps++;
        pcs[pc]++;
        if (scale.has(pc)) inScale++;
        perStep[s]++;
        const m = lead[s];
        if (m === undefined) continue;
        compared++;
        const interval = pitchClass(Math.abs(n.pitch - m));
        if (CONSONANT.has(interval)) consonant++;
        else if (DISSONANT.has(interval)) dissonant++;
      }
    }
    for (let b = 0; b * stepsPerBar < steps; b++) {
      bars++;
      if (!perStep.slice(b * stepsPerBar, (b + 1) * stepsPerBar).some((c) => c > 0)) empty++;
    }
    for (const c of perStep) {
      if (c > 0) sounding++;
      if (c > 1) chordal++;
    }
  }
  const share = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    inScale: share(inScale, noteSteps),
    pitchClasses: normalised(pcs),
    lengths: normalised(lengths),
    consonance: share(consonant, compared),
    dissonance: share(dissonant, compared),
    emptyBars: share(empty, bars),
    polyphony: share(chordal, sounding),
  };
}

const totalVariation = (a: readonly number[], b: readonly number[]) => a.reduce((sum, x, i) => sum + Math.abs(x - (b[i] ?? 0)), 0) / 2;

/** 1 minus the mean distance of two profiles' features (0…1 each). */
export function profileSimilarity(real: PartProfile, generated: PartProfile): number {
  const distances = [
    Math.abs(real.inScale - generated.inScale),
    totalVariation(real.pitchClasses, generated.pitchClasses),
    totalVariation(real.lengths, generated.lengths),
    Math.abs(real.consonance - generated.consonance),
    Math.abs(real.dissonance - generated.dissonance),
    Math.abs(real.emptyBars - generated.emptyBars),
    Math.abs(real.polyphony - generated.polyphony),
  ];
  return 1 - distances.reduce((a, b) => a + b, 0) / distances.length;
}

/**
 * The similarity index of generated windows against the real windows of the same melodies (track 0
 * of each; `parts` are the accompaniment tracks compared), rounded to 4 decimals.
 */
export function similarityIndex(
  real: readonly (readonly (readonly Note[])[])[],
  generated: readonly (readonly (readonly Note[])[])[],
  parts: readonly number[],
  steps: number,
  stepsPerBar: number,
): number {
  if (parts.length === 0 || real.length === 0) return 0;
  const scores = parts.map((k) => profileSimilarity(partProfile(real, k, steps, stepsPerBar), partProfile(generated, k, steps, stepsPerBar)));
  return Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10000) / 10000;
}

/**
 * Whether a similarity curve (one value per evaluation, in order) has stopped rising: over the last
 * `window` evaluations its best is no more than `tolerance` above the best before them. Needs at
 * least 2 × `window` evaluations.
 */
export function hasConverged(values: readonly number[], o: { window?: number; tolerance?: number } = {}): boolean {
  const window = o.window ?? 6;
  const tolerance = o.tolerance ?? 0.005;
  if (values.length < 2 * window) return false;
  const before = Math.max(...values.slice(0, -window));
  const recent = Math.max(...values.slice(-window));
  return recent <= before + tolerance;
}
