import { chordsIn, transposeChords, type ChordSpan } from '../music/chord.js';
import { estimateKey, normalisingShift, type Key } from '../music/key.js';
import { transpose, type Note, type TimeSignature } from '../music/melody.js';
import type { MeasuredWindow } from '../inference/accompany.js';

/**
 * One piece of training music: tracks of notes on the 16th grid, track 0 the melody, step 0 on the
 * first downbeat (a pickup starts at a negative step or is dropped).
 */
export interface Piece {
  readonly id: string;
  readonly tracks: readonly (readonly Note[])[];
  readonly steps: number;
  /** The piece's chords on the same grid: the data's own labels, or an analysis of its parts. */
  readonly chords?: readonly ChordSpan[];
  /** Where `chords` come from: labels written in the data, or a harmonic analysis of the real parts. */
  readonly chordSource?: 'label' | 'analysis';
  /** Absent: 4/4. */
  readonly timeSignature?: TimeSignature;
}

export interface WindowRef {
  readonly piece: number;
  readonly start: number;
  /** Pitch extremes of the window over all tracks, for transposition limits. */
  readonly low: number;
  readonly high: number;
}

export interface WindowOptions {
  readonly steps: number;
  /** Steps between window starts. */
  readonly hop: number;
  /** Skip windows whose melody is silent for more than this fraction of steps. */
  readonly maxMelodyRest: number;
  readonly pitchLow: number;
  readonly pitchCount: number;
}

function notesIn(notes: readonly Note[], start: number, length: number): Note[] {
  const end = start + length;
  return notes.filter((n) => n.start < end && n.start + n.duration > start);
}

/** Cuts pieces into (overlapping) windows that fit the pitch range and have a melody. */
export function windowsOf(pieces: readonly Piece[], o: WindowOptions): WindowRef[] {
  const refs: WindowRef[] = [];
  pieces.forEach((piece, index) => {
    for (let start = 0; start + o.steps <= piece.steps; start += o.hop) {
      const melody = notesIn(piece.tracks[0], start, o.steps);
      const sounding = new Set<number>();
      for (const n of melody) for (let s = Math.max(start, n.start); s < Math.min(start + o.steps, n.start + n.duration); s++) sounding.add(s);
      if (sounding.size < (1 - o.maxMelodyRest) * o.steps) continue;
      const all = piece.tracks.flatMap((t) => notesIn(t, start, o.steps));
      const low = Math.min(...all.map((n) => n.pitch));
      const high = Math.max(...all.map((n) => n.pitch));
      if (low < o.pitchLow || high >= o.pitchLow + o.pitchCount) continue;
      refs.push({ piece: index, start, low, high });
    }
  });
  return refs;
}

/** The chords of a window, shifted to start at step 0 and transposed. */
export function windowChords(piece: Piece, start: number, steps: number, semitones = 0): ChordSpan[] | undefined {
  if (!piece.chords) return undefined;
  const spans = chordsIn(piece.chords, start, steps);
  return semitones ? transposeChords(spans, semitones) : spans;
}

/**
 * The piece's key (Krumhansl–Schmuckler over every part, chords weighted in) and the piece moved to
 * C major / A minor: how key-normalised models see their training music.
 */
export function normaliseKey(piece: Piece): { piece: Piece; key: Key; shift: number } {
  const key = estimateKey(piece.tracks.flat());
  const shift = normalisingShift(key);
  if (shift === 0) return { piece, key, shift };
  return {
    piece: { ...piece, tracks: piece.tracks.map((t) => transpose(t, shift)), ...(piece.chords ? { chords: transposeChords(piece.chords, shift) } : {}) },
    key,
    shift,
  };
}

/** Notes of each track of a window, shifted to start at step 0 and transposed. */
export function windowNotes(piece: Piece, start: number, steps: number, transpose = 0): Note[][] {
  return piece.tracks.map((track) =>
    notesIn(track, start, steps).map((n) => {
      const s = Math.max(n.start, start);
      const e = Math.min(n.start + n.duration, start + steps);
      return { ...n, pitch: n.pitch + transpose, start: s - start, duration: e - s };
    }),
  );
}

/**
 * The held-out windows a model is measured on: back to back from each piece's start (hop = one
 * window), with a melody and inside the pitch rows, as note lists.
 */
export function measuredWindows(pieces: readonly Piece[], steps: number, pitchLow: number, pitchCount: number): MeasuredWindow[] {
  return windowsOf(pieces, { steps, hop: steps, maxMelodyRest: 0.5, pitchLow, pitchCount }).map((r) => {
    const chords = windowChords(pieces[r.piece], r.start, steps);
    return { tracks: windowNotes(pieces[r.piece], r.start, steps), ...(chords ? { chords } : {}) };
  });
}
