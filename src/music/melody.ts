import { chordsIn, type ChordSpan } from './chord.js';
import type { Key } from './key.js';

/**
 * The domain's time unit is the step: STEPS_PER_QUARTER steps per quarter note (a 16th-note grid).
 * Steps are integers; seconds are derived from the tempo in one place (`stepSeconds`).
 */
export const STEPS_PER_QUARTER = 4;
/** The longest melody Continuo takes, in bars. */
export const MAX_MELODY_BARS = 32;

export interface Note {
  /** MIDI number, 0–127. */
  readonly pitch: number;
  /** First step, from the start of the piece. */
  readonly start: number;
  /** Length in steps, ≥ 1. */
  readonly duration: number;
  /** 1–127. */
  readonly velocity: number;
}

export interface TimeSignature {
  readonly numerator: number;
  readonly denominator: number;
}

export interface Melody {
  readonly notes: readonly Note[];
  /** Quarter notes per minute. */
  readonly tempo: number;
  readonly timeSignature: TimeSignature;
  readonly title?: string;
  /** Chords written with the melody (ABC chord symbols, the notation's "G7"), on the same steps. */
  readonly chords?: readonly ChordSpan[];
  /** The key written with the melody (ABC's K:, the notation's key=); absent: estimated when needed. */
  readonly key?: Key;
}

export const DEFAULT_TEMPO = 100;
export const COMMON_TIME: TimeSignature = { numerator: 4, denominator: 4 };

export function stepsPerBar(ts: TimeSignature): number {
  return (ts.numerator * STEPS_PER_QUARTER * 4) / ts.denominator;
}

export function stepSeconds(tempo: number): number {
  return 60 / tempo / STEPS_PER_QUARTER;
}

/** The step after the last note ends. */
export function endStep(notes: readonly Note[]): number {
  return notes.reduce((end, n) => Math.max(end, n.start + n.duration), 0);
}

export function barCount(melody: Melody): number {
  return Math.ceil(endStep(melody.notes) / stepsPerBar(melody.timeSignature));
}

/**
 * Drops whole bars of leading silence (a pickup keeps its place in its bar) and sorts the notes; the
 * chords move with the notes (a chord of the dropped bars that goes on is cut at the new start).
 * Returns a new melody; the input is not changed.
 */
export function trimLeadingSilence(melody: Melody): Melody {
  if (melody.notes.length === 0) return melody;
  const bar = stepsPerBar(melody.timeSignature);
  const first = Math.min(...melody.notes.map((n) => n.start));
  const shift = Math.floor(first / bar) * bar;
  const notes = melody.notes
    .map((n) => ({ ...n, start: n.start - shift }))
    .sort((a, b) => a.start - b.start || b.pitch - a.pitch);
  if (!melody.chords) return { ...melody, notes };
  return { ...melody, notes, chords: chordsIn(melody.chords, shift, Number.MAX_SAFE_INTEGER - shift) };
}

/**
 * Keeps one note at a time (the highest sounding one: the "skyline"), cutting a note short where a
 * later one starts. Melodies are single lines; chords in a melody track are reduced this way.
 */
export function monophonic(notes: readonly Note[]): Note[] {
  const sorted = [...notes].sort((a, b) => a.start - b.start || b.pitch - a.pitch);
  const out: Note[] = [];
  for (const note of sorted) {
    const last = out[out.length - 1];
    if (last && last.start === note.start) continue; // a lower note of the same chord
    if (last && last.start + last.duration > note.start) {
      if (last.pitch > note.pitch && last.start + last.duration >= note.start + note.duration) continue;
      out[out.length - 1] = { ...last, duration: note.start - last.start };
    }
    out.push(note);
  }
  return out;
}

export function transpose(notes: readonly Note[], semitones: number): Note[] {
  return notes.map((n) => ({ ...n, pitch: n.pitch + semitones }));
}
