import { type ChordSpan, chordPitchClassSet, chordsPerStep, pitchClass } from './chord.js';
import { type Key, keyScale } from './key.js';
import type { Note } from './melody.js';

/**
 * Listening measures of an accompaniment part against its melody. Step measures count note-steps:
 * each step of [0, steps) in which a part note sounds, once per note (two notes sounding at a step are
 * two note-steps). Note measures count the part's notes. A share whose denominator is 0 is 0 (never
 * NaN), so an empty part scores 0 everywhere and 1 for empty bars. The counts behind every share are
 * kept so that measures of many pieces pool exactly (`pooledMeasures`).
 */
export interface HarmonyMeasures {
  /** Shares in 0…1. */
  consonance: number;
  dissonance: number;
  inScale: number;
  /** Undefined when no chord labels were given. */
  chordTone?: number;
  oneStepNotes: number;
  emptyBars: number;
  /** Share of notes inside the given range (undefined when no range given). */
  inRange?: number;
  /** Part note-steps in [0, steps): the denominator of inScale. */
  noteSteps: number;
  /** Part notes: the denominator of oneStepNotes and inRange. */
  notes: number;
  /** Note-steps with a melody note sounding: the denominator of consonance and dissonance. */
  comparedNoteSteps: number;
  /** Note-steps with a chord given (0 without chords): the denominator of chordTone. */
  chordNoteSteps: number;
  /** Bars of [0, steps), the last possibly partial: the denominator of emptyBars. */
  bars: number;
}

/** Intervals (semitones mod 12, lower note to higher) that sound consonant; 5, the fourth, is neither. */
const CONSONANT = new Set([0, 3, 4, 7, 8, 9]);
const DISSONANT = new Set([1, 2, 6, 10, 11]);

const share = (count: number, total: number) => (total > 0 ? count / total : 0);

export interface HarmonyMeasureOptions {
  readonly key: Key;
  readonly chords?: readonly ChordSpan[];
  readonly steps: number;
  readonly stepsPerBar: number;
  readonly range?: { readonly low: number; readonly high: number };
}

/**
 * The measures of one part. The melody note at a step is the highest one sounding there (melodies are
 * single lines; a chordal melody is read by its top). Chords given as an empty list count as none.
 */
export function harmonyMeasures(melody: readonly Note[], part: readonly Note[], o: HarmonyMeasureOptions): HarmonyMeasures {
  const steps = Math.max(0, Math.floor(o.steps));
  if (!(o.stepsPerBar > 0)) throw new RangeError(`stepsPerBar must be positive, got ${o.stepsPerBar}`);
  const top = new Int16Array(steps).fill(-1);
  for (const n of melody) {
    for (let s = Math.max(0, n.start); s < Math.min(steps, n.start + n.duration); s++) if (n.pitch > top[s]) top[s] = n.pitch;
  }
  const scale = keyScale(o.key);
  const withChords = o.chords !== undefined && o.chords.length > 0;
  const chordTones = withChords ? chordsPerStep(o.chords!, steps).map((c) => (c ? new Set(chordPitchClassSet(c)) : undefined)) : [];
  const bars = Math.ceil(steps / o.stepsPerBar);
  const sounding = new Array<boolean>(bars).fill(false);
  let noteSteps = 0;
  let compared = 0;
  let consonant = 0;
  let dissonant = 0;
  let inScale = 0;
  let chordSteps = 0;
  let onChord = 0;
  for (const n of part) {
    const pc = pitchClass(n.pitch);
    for (let s = Math.max(0, n.start); s < Math.min(steps, n.start + n.duration); s++) {
      noteSteps++;
      sounding[Math.floor(s / o.stepsPerBar)] = true;
      if (scale.has(pc)) inScale++;
      const m = top[s];
      if (m >= 0) {
        compared++;
        const interval = Math.abs(m - n.pitch) % 12;
        if (CONSONANT.has(interval)) consonant++;
        else if (DISSONANT.has(interval)) dissonant++;
      }
      const tones = chordTones[s];
      if (tones) {
        chordSteps++;
        if (tones.has(pc)) onChord++;
      }
    }
  }
  const notes = part.length;
  const range = o.range;
  return {
    consonance: share(consonant, compared),
    dissonance: share(dissonant, compared),
    inScale: share(inScale, noteSteps),
    chordTone: withChords ? share(onChord, chordSteps) : undefined,
    oneStepNotes: share(part.filter((n) => n.duration === 1).length, notes),
    emptyBars: bars > 0 ? sounding.filter((x) => !x).length / bars : notes === 0 ? 1 : 0,
    inRange: range ? share(notesInside(part, range), notes) : undefined,
    noteSteps,
    notes,
    comparedNoteSteps: compared,
    chordNoteSteps: chordSteps,
    bars,
  };
}

/**
 * The measures of many parts taken together, as if they were one long part: each share is pooled over
 * its own denominator (note-steps, compared note-steps, chord note-steps, notes, bars), not averaged.
 * chordTone and inRange pool over the parts that have them and are undefined when none does.
 */
export function pooledMeasures(list: readonly HarmonyMeasures[]): HarmonyMeasures {
  const sum = (f: (m: HarmonyMeasures) => number, of: readonly HarmonyMeasures[] = list) => of.reduce((a, m) => a + f(m), 0);
  const pooled = (value: (m: HarmonyMeasures) => number, weight: (m: HarmonyMeasures) => number, of: readonly HarmonyMeasures[] = list) =>
    share(sum((m) => value(m) * weight(m), of), sum(weight, of));
  const withChords = list.filter((m) => m.chordTone !== undefined);
  const withRange = list.filter((m) => m.inRange !== undefined);
  const notes = sum((m) => m.notes);
  const bars = sum((m) => m.bars);
  return {
    consonance: pooled((m) => m.consonance, (m) => m.comparedNoteSteps),
    dissonance: pooled((m) => m.dissonance, (m) => m.comparedNoteSteps),
    inScale: pooled((m) => m.inScale, (m) => m.noteSteps),
    chordTone: withChords.length ? pooled((m) => m.chordTone!, (m) => m.chordNoteSteps, withChords) : undefined,
    oneStepNotes: pooled((m) => m.oneStepNotes, (m) => m.notes),
    emptyBars: bars > 0 ? pooled((m) => m.emptyBars, (m) => m.bars) : notes === 0 ? 1 : 0,
    inRange: withRange.length ? pooled((m) => m.inRange!, (m) => m.notes, withRange) : undefined,
    noteSteps: sum((m) => m.noteSteps),
    notes,
    comparedNoteSteps: sum((m) => m.comparedNoteSteps),
    chordNoteSteps: sum((m) => m.chordNoteSteps),
    bars,
  };
}

/** How many of the notes lie inside low…high. */
export function notesInside(notes: readonly Note[], range: { readonly low: number; readonly high: number }): number {
  return notes.filter((n) => n.pitch >= range.low && n.pitch <= range.high).length;
}

/**
 * The pitch range holding the middle of some notes: the `low` and `high` quantiles of their pitches,
 * each note counting once, rounded outwards to actual pitches (index ⌊low·(n−1)⌋ and ⌈high·(n−1)⌉ of
 * the sorted pitches). Undefined without notes.
 */
export function percentileRange(notes: readonly Note[], low = 0.05, high = 0.95): { low: number; high: number } | undefined {
  if (!(low >= 0 && low <= high && high <= 1)) throw new RangeError(`percentiles must satisfy 0 ≤ low ≤ high ≤ 1, got ${low}, ${high}`);
  if (notes.length === 0) return undefined;
  const pitches = notes.map((n) => n.pitch).sort((a, b) => a - b);
  const last = pitches.length - 1;
  return { low: pitches[Math.floor(low * last + 1e-9)], high: pitches[Math.ceil(high * last - 1e-9)] };
}
