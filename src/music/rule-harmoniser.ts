import { type Chord, type ChordQuality, type ChordSpan, QUALITY_INTERVALS, chordPitchClassSet, pitchClass, triadOf } from './chord.js';
import { type Key, estimateKey } from './key.js';
import type { Note } from './melody.js';

/**
 * The rule-based yardstick that learned harmonisers and generated accompaniment are judged against:
 * diatonic triads chosen segment by segment from the melody alone, played as block chords over a root
 * bass. Deliberately simple and deterministic; not a model.
 */

/** Diatonic triads as (semitones above the tonic, quality), in tie-break order: I, IV, V first. */
const MAJOR_TRIADS: readonly (readonly [number, ChordQuality])[] = [
  [0, 'maj'], [5, 'maj'], [7, 'maj'], [2, 'min'], [4, 'min'], [9, 'min'], [11, 'dim'],
];
/** Natural-minor triads plus the harmonic-minor dominant V: i, iv, V first. */
const MINOR_TRIADS: readonly (readonly [number, ChordQuality])[] = [
  [0, 'min'], [5, 'min'], [7, 'maj'], [3, 'maj'], [8, 'maj'], [10, 'maj'], [2, 'dim'], [7, 'min'],
];

export function diatonicTriads(key: Key): Chord[] {
  return (key.mode === 'major' ? MAJOR_TRIADS : MINOR_TRIADS).map(([degree, quality]) => ({ root: pitchClass(key.tonic + degree), quality }));
}

/**
 * One diatonic triad per segment of `segmentSteps` steps (from step 0; the last may be shorter): the
 * one whose tones hold the most melody note-steps in the segment, ties going to I, IV, V (i, iv, V in
 * minor) and then up the scale. A segment without melody keeps the previous chord (the tonic at the
 * start). The key is estimated from the melody (Krumhansl–Schmuckler) unless given. Equal neighbours
 * merge; the spans cover [0, steps).
 */
export function ruleHarmonise(melody: readonly Note[], steps: number, segmentSteps: number, key?: Key): ChordSpan[] {
  if (!Number.isInteger(segmentSteps) || segmentSteps < 1) throw new RangeError(`segmentSteps must be a positive integer, got ${segmentSteps}`);
  const triads = diatonicTriads(key ?? estimateKey(melody));
  const tones = triads.map((c) => new Set(chordPitchClassSet(c)));
  const spans: ChordSpan[] = [];
  let previous = 0;
  for (let start = 0; start < steps; start += segmentSteps) {
    const end = Math.min(steps, start + segmentSteps);
    const weights = new Array<number>(12).fill(0);
    for (const n of melody) {
      const overlap = Math.min(end, n.start + n.duration) - Math.max(start, n.start);
      if (overlap > 0) weights[pitchClass(n.pitch)] += overlap;
    }
    let choice = previous;
    if (weights.some((w) => w > 0)) {
      let best = -1;
      tones.forEach((set, i) => {
        let held = 0;
        for (const pc of set) held += weights[pc];
        if (held > best) {
          best = held;
          choice = i;
        }
      });
    }
    const last = spans[spans.length - 1];
    if (last && choice === previous && start > 0) spans[spans.length - 1] = { ...last, duration: end - last.start };
    else spans.push({ start, duration: end - start, chord: triads[choice] });
    previous = choice;
  }
  return spans;
}

export interface RuleAccompanimentOptions {
  /** Range of the block chords (default 55…72). */
  readonly chordLow?: number;
  readonly chordHigh?: number;
  /** Range of the bass (default 36…55). */
  readonly bassLow?: number;
  readonly bassHigh?: number;
}

const VELOCITY = 80;

/**
 * The lowest root pitch whose chord (intervals up to `top` above it) fits in low…high; when none fits,
 * the one that overshoots the range least.
 */
function placeRoot(root: number, top: number, low: number, high: number): number {
  let best = low + pitchClass(root - low);
  let bestOver = Infinity;
  for (let p = low - 12 + pitchClass(root - low); p <= high; p += 12) {
    const over = Math.max(0, low - p) + Math.max(0, p + top - high);
    if (over < bestOver) {
      best = p;
      bestOver = over;
    }
  }
  return best;
}

/**
 * Block chords and a root bass for chord spans: each span's triad (a seventh chord plays its triad) in
 * close root position, as low as it fits in the chord range, held for the span; and the root, as low as
 * it fits in the bass range, held likewise. Velocity 80. When a range is too narrow for a chord, the
 * chord is placed to overshoot it least.
 */
export function ruleAccompaniment(chords: readonly ChordSpan[], o: RuleAccompanimentOptions = {}): { chords: Note[]; bass: Note[] } {
  const chordLow = o.chordLow ?? 55;
  const chordHigh = o.chordHigh ?? 72;
  const bassLow = o.bassLow ?? 36;
  const bassHigh = o.bassHigh ?? 55;
  const chordNotes: Note[] = [];
  const bass: Note[] = [];
  for (const span of chords) {
    if (span.duration <= 0) continue;
    const triad = triadOf(span.chord);
    const intervals = QUALITY_INTERVALS[triad.quality];
    const rootPitch = placeRoot(triad.root, intervals[intervals.length - 1], chordLow, chordHigh);
    for (const i of intervals) chordNotes.push({ pitch: rootPitch + i, start: span.start, duration: span.duration, velocity: VELOCITY });
    bass.push({ pitch: placeRoot(triad.root, 0, bassLow, bassHigh), start: span.start, duration: span.duration, velocity: VELOCITY });
  }
  return { chords: chordNotes, bass };
}
