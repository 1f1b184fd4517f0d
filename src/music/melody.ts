import { chordsIn, type ChordSpan } from './chord.js';
import { InvalidInputError } from '../errors.js';
import type { Key } from './key.js';

/**
 * The domain's time unit is the step: STEPS_PER_QUARTER steps per quarter note (a 16th-note grid).
 * Steps are integers. Seconds are not the domain's: a MIDI file carries ticks and the tempo map
 * (`tempos`), and whatever plays it (@tonejs/midi, the synthesiser) derives the seconds from that map.
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

/** From `step` on (a step of the source file, see Melody.offset), `bpm` quarter notes per minute. */
export interface TempoChange {
  readonly step: number;
  readonly bpm: number;
}

export interface Melody {
  readonly notes: readonly Note[];
  /** Quarter notes per minute. */
  readonly tempo: number;
  /** True when the source names no tempo: `tempo` is DEFAULT_TEMPO, and a model's own default tempo takes its place. */
  readonly tempoIsDefault?: boolean;
  readonly timeSignature: TimeSignature;
  readonly title?: string;
  /** Chords written with the melody (ABC chord symbols, the notation's "G7"), on the same steps. */
  readonly chords?: readonly ChordSpan[];
  /** The key written with the melody (ABC's K:, the notation's key=); absent: estimated when needed. */
  readonly key?: Key;
  /**
   * Steps of the source before this melody's step 0 (whole bars: leading silence dropped, bars before
   * a chosen range). The output is put back there, so that it lines up with the source.
   */
  readonly offset?: number;
  /** The source's tempo map, when it changes tempo: steps of the source, in order (`tempo` is the one in effect at `offset`). */
  readonly tempos?: readonly TempoChange[];
}

/** The tempo in effect at a step of a tempo map (the first one before it starts). */
export function tempoAt(tempos: readonly TempoChange[], step: number, fallback: number): number {
  let bpm = tempos[0]?.bpm ?? fallback;
  for (const t of tempos) {
    if (t.step > step) break;
    bpm = t.bpm;
  }
  return bpm;
}

export const DEFAULT_TEMPO = 100;
export const COMMON_TIME: TimeSignature = { numerator: 4, denominator: 4 };

export function stepsPerBar(ts: TimeSignature): number {
  return (ts.numerator * STEPS_PER_QUARTER * 4) / ts.denominator;
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
  return fromStep(melody, Math.floor(first / bar) * bar, Number.MAX_SAFE_INTEGER);
}

/**
 * The melody from step `shift` for `length` steps, moved to start at 0 with `offset` counting the
 * steps left out; notes that start in the span are kept (cut at its end), chords are cut to it, and
 * the tempo becomes the one in effect there.
 */
function fromStep(melody: Melody, shift: number, length: number): Melody {
  const end = shift + length;
  const notes = melody.notes
    .filter((n) => n.start >= shift && n.start < end)
    .map((n) => ({ ...n, start: n.start - shift, duration: Math.min(n.duration, end - n.start) }))
    .sort((a, b) => a.start - b.start || b.pitch - a.pitch);
  const offset = (melody.offset ?? 0) + shift;
  return {
    ...melody,
    notes,
    ...(shift > 0 ? { offset } : {}),
    ...(melody.tempos ? { tempo: tempoAt(melody.tempos, offset, melody.tempo) } : {}),
    ...(melody.chords ? { chords: chordsIn(melody.chords, shift, Math.min(length, Number.MAX_SAFE_INTEGER - shift)) } : {}),
  };
}

/** Which bars of a long melody to take: 1-based and inclusive; `last` absent: as many as fit, up to the end. */
export interface BarRange {
  readonly first: number;
  readonly last?: number;
}

/**
 * Bars `range.first`…`range.last` of a melody, as a melody of their own that remembers where they
 * were (`offset`). Throws when the range is not in the melody.
 */
export function takeBars(melody: Melody, range: BarRange): Melody {
  const bar = stepsPerBar(melody.timeSignature);
  const bars = barCount(melody);
  const last = range.last ?? Math.min(bars, range.first + MAX_MELODY_BARS - 1);
  if (!Number.isInteger(range.first) || range.first < 1 || !Number.isInteger(last) || last < range.first) {
    throw new InvalidInputError(`bars ${range.first}-${last} is not a range of bars; give the first and last bar, counted from 1, like "17-48"`, { field: 'bars' });
  }
  if (range.first > bars) {
    throw new InvalidInputError(`the melody has ${bars} bars, so it has no bar ${range.first}; choose bars from 1 to ${bars}`, { field: 'bars', bars });
  }
  const taken = fromStep(melody, (range.first - 1) * bar, (Math.min(last, bars) - range.first + 1) * bar);
  if (taken.notes.length === 0) {
    throw new InvalidInputError(`bars ${range.first}-${Math.min(last, bars)} of the melody hold no notes; choose bars with melody in them`, { field: 'bars' });
  }
  return taken;
}

/**
 * Reads a bar range as people write it: "17-48" (or 17–48, 17..48), "17-" (from bar 17 on, as many
 * as fit), "8" (the first 8 bars).
 */
export function parseBarRange(text: string): BarRange {
  const m = /^\s*(\d{1,5})\s*(?:(-|–|\.\.)\s*(\d{1,5})?)?\s*$/.exec(text);
  if (!m) throw new InvalidInputError(`bars '${text.slice(0, 40)}' is not a range of bars; write the first and last bar, like "17-48", "17-" to take bars from 17 on, or "8" for the first 8`, { field: 'bars' });
  const range = m[2] === undefined ? { first: 1, last: Number(m[1]) } : { first: Number(m[1]), ...(m[3] !== undefined ? { last: Number(m[3]) } : {}) };
  if (range.first < 1 || (range.last !== undefined && range.last < range.first)) {
    throw new InvalidInputError(`bars '${text.trim()}' is not a range of bars; bars count from 1 and the last comes after the first, like "17-48"`, { field: 'bars' });
  }
  if (range.last !== undefined && range.last - range.first + 1 > MAX_MELODY_BARS) {
    throw new InvalidInputError(
      `bars '${text.trim()}' are ${range.last - range.first + 1} bars; Continuo takes up to ${MAX_MELODY_BARS} at a time, like "${range.first}-${range.first + MAX_MELODY_BARS - 1}"`,
      { field: 'bars' },
    );
  }
  return range;
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
