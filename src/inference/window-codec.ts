import { chordPitchClassSet, chordsPerStep, pitchClass, type Chord, type ChordSpan } from '../music/chord.js';
import type { Note } from '../music/melody.js';
import { PianoRoll } from '../music/piano-roll.js';
import type { ModelCard, ModelTrack } from './model-card.js';

/**
 * The one place where notes become model input and model output becomes notes (in the manner of
 * magenta-js's DataConverter), driven by the model card: its window geometry, its tracks and whether
 * it is conditioned on chords.
 *
 * Layout (NHWC, values −1/+1): the condition is steps × pitches × C, channel 0 the melody and, for
 * chord-conditioned models, channel 1 the chord's pitch classes tiled over every octave; the tracks
 * are steps × pitches × T, track 0 the melody.
 */
export interface WindowInput {
  /** The melody of the window, steps from the window's start. */
  readonly melody: readonly Note[];
  /** The window's chords, steps from the window's start (ignored by models without chord input). */
  readonly chords?: readonly ChordSpan[];
}

export type CodecCard = Pick<ModelCard, 'network' | 'pitchLow' | 'tracks' | 'threshold' | 'conditioning'>;

export interface DecodeTrackOptions {
  /** Cells above this start a note (tanh, −1…1). */
  readonly onset: number;
  /** A sounding note goes on while its cell stays above this (≤ onset): hysteresis against flicker. */
  readonly sustain: number;
  readonly monophonic: boolean;
  /** How much stronger another pitch must be to take over from a sounding one (monophonic tracks). */
  readonly takeOver: number;
  /** Rows the track may use (MIDI numbers), inclusive. */
  readonly low: number;
  readonly high: number;
  /** Shortest note kept; shorter ones are merged into the note before or dropped. */
  readonly minSteps: number;
  /** Shortest note kept alone in a monophonic line (≥ minSteps); shorter ones stay only in a run of them. */
  readonly minLoneSteps: number;
  /** Steps of the grid the part's notes start and end on (as in the data: 8ths, quarters…); 1 = every step. */
  readonly grid: number;
}

/** By how much (a share of the onset level above −1) a new pitch must beat a sounding one in a monophonic line. */
const TAKE_OVER = 0.25;

/**
 * A decoding level moved for more (density > 0) or fewer (< 0) notes: its distance above −1 (the
 * generator's silence) is scaled by 4^−density, so a part calibrated near silence moves as much, in
 * proportion, as one calibrated high. Density 0 leaves the level as it is.
 */
export function denser(level: number, density: number): number {
  if (density === 0) return level;
  return Math.min(1, -1 + (level + 1) * 4 ** -density);
}

export class WindowCodec {
  readonly steps: number;
  readonly pitches: number;
  readonly pitchLow: number;
  readonly trackCount: number;
  readonly conditionChannels: number;
  private readonly tracks: readonly ModelTrack[];
  private readonly card: CodecCard;

  constructor(card: CodecCard) {
    this.card = card;
    this.steps = card.network.steps;
    this.pitches = card.network.pitches;
    this.pitchLow = card.pitchLow;
    this.trackCount = card.network.tracks;
    this.tracks = card.tracks;
    this.conditionChannels = card.conditioning?.chords ? 2 : 1;
  }

  get usesChords(): boolean {
    return this.conditionChannels === 2;
  }

  /** Floats for `count` windows' conditions. */
  conditionBuffer(count: number): Float32Array {
    return new Float32Array(count * this.steps * this.pitches * this.conditionChannels);
  }

  tracksBuffer(count: number): Float32Array {
    return new Float32Array(count * this.steps * this.pitches * this.trackCount);
  }

  /** Writes one window's condition (melody, and chords for chord-conditioned models) into slot `slot`. */
  writeCondition(input: WindowInput, slot: number, out: Float32Array): void {
    const { steps, pitches, conditionChannels: c } = this;
    const base = slot * steps * pitches * c;
    out.fill(-1, base, base + steps * pitches * c);
    for (const n of input.melody) {
      const p = n.pitch - this.pitchLow;
      if (p < 0 || p >= pitches) continue; // a melody note outside the rows cannot be seen by the model
      for (let s = Math.max(0, n.start); s < Math.min(steps, n.start + n.duration); s++) out[base + (s * pitches + p) * c] = 1;
    }
    if (c === 2 && input.chords) {
      const perStep = chordsPerStep(input.chords, steps);
      let last: Chord | undefined;
      let classes = new Set<number>();
      for (let s = 0; s < steps; s++) {
        const chord = perStep[s];
        if (!chord) continue;
        if (chord !== last) {
          classes = new Set(chordPitchClassSet(chord));
          last = chord;
        }
        for (let p = 0; p < pitches; p++) if (classes.has(pitchClass(this.pitchLow + p))) out[base + (s * pitches + p) * c + 1] = 1;
      }
    }
  }

  /** Writes one window's tracks (track 0 the melody) into slot `slot`. */
  writeTracks(tracks: readonly (readonly Note[])[], slot: number, out: Float32Array): void {
    writeTrackRoll(tracks, slot, out, { steps: this.steps, pitches: this.pitches, pitchLow: this.pitchLow, tracks: this.trackCount });
  }

  /** The card's decoding settings of each track, with `threshold` (if given) overriding the onsets. */
  trackOptions(threshold?: number, density = 0): DecodeTrackOptions[] {
    return this.tracks.map((t) => {
      const onset = denser(threshold ?? t.threshold ?? this.card.threshold, density);
      const sustain = threshold !== undefined ? onset : denser(t.sustain ?? t.threshold ?? this.card.threshold, density);
      const low = Math.max(this.pitchLow, t.range?.low ?? this.pitchLow);
      const high = Math.min(this.pitchLow + this.pitches - 1, t.range?.high ?? this.pitchLow + this.pitches - 1);
      // Models trained before hysteresis decode as they were measured: the strongest pitch at every step.
      // The margin scales with the onset level: a track that writes only faint cells has faint margins.
      const takeOver = this.card.conditioning ? TAKE_OVER * (onset + 1) : 0;
      return { onset, sustain: Math.min(sustain, onset), monophonic: t.monophonic, takeOver, low, high, minSteps: t.minSteps ?? 1, minLoneSteps: Math.max(t.minSteps ?? 1, t.minLoneSteps ?? 1), grid: t.onsetGrid ?? 1 };
    });
  }

  /**
   * Generator output (count × steps × pitches × tracks) → notes per window per track. A note starts
   * where a cell passes its track's onset level and lasts while it stays above the sustain level;
   * monophonic tracks follow the strongest pitch; notes shorter than the track's minimum are merged.
   */
  decode(values: Float32Array, count: number, options: readonly DecodeTrackOptions[] = this.trackOptions()): Note[][][] {
    const out: Note[][][] = [];
    for (let w = 0; w < count; w++) {
      out.push(options.map((o, k) => this.decodeTrack(values, w, k, o)));
    }
    return out;
  }

  private cell(values: Float32Array, w: number, s: number, p: number, k: number): number {
    return values[((w * this.steps + s) * this.pitches + p) * this.trackCount + k];
  }

  private decodeTrack(values: Float32Array, w: number, k: number, o: DecodeTrackOptions): Note[] {
    const from = o.low - this.pitchLow;
    const to = o.high - this.pitchLow;
    const notes: Note[] = [];
    if (o.monophonic) {
      let current: { p: number; start: number } | undefined;
      const close = (end: number) => {
        if (current) notes.push({ pitch: this.pitchLow + current.p, start: current.start, duration: end - current.start, velocity: 100 });
        current = undefined;
      };
      for (let s = 0; s < this.steps; s++) {
        let best = -1;
        let bestValue = -Infinity;
        for (let p = from; p <= to; p++) {
          const v = this.cell(values, w, s, p, k);
          if (v > bestValue) {
            best = p;
            bestValue = v;
          }
        }
        if (current) {
          const held = this.cell(values, w, s, current.p, k);
          // Keep the sounding note unless it fades, or another pitch clearly takes over.
          if (held > o.sustain && (best === current.p || bestValue <= o.onset || bestValue - held < o.takeOver)) continue;
          close(s);
        }
        if (best >= 0 && bestValue > o.onset) current = { p: best, start: s };
      }
      close(this.steps);
    } else {
      for (let p = from; p <= to; p++) {
        let start = -1;
        for (let s = 0; s <= this.steps; s++) {
          const v = s < this.steps ? this.cell(values, w, s, p, k) : -Infinity;
          if (start < 0 && v > o.onset) start = s;
          else if (start >= 0 && v <= o.sustain) {
            notes.push({ pitch: this.pitchLow + p, start, duration: s - start, velocity: 100 });
            start = -1;
          }
        }
      }
      notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
    }
    const gridded = o.grid > 1 ? snapToGrid(notes, o.grid, o.monophonic, this.steps) : notes;
    const merged = o.minSteps > 1 ? mergeShortNotes(gridded, o.minSteps, o.monophonic) : gridded;
    return o.monophonic && o.minLoneSteps > o.minSteps ? mergeShortNotes(merged, o.minLoneSteps, true, { keepRuns: true }) : merged;
  }

  /** Decoded windows of one piece joined end to end, track by track (notes across a seam are joined). */
  joinWindows(windows: readonly (readonly (readonly Note[])[])[]): Note[][] {
    const rolls = windows.map((w) => PianoRoll.fromTracks(w, this.steps, this.pitchLow, this.pitches));
    const joined = new PianoRoll(this.steps * rolls.length, this.pitchLow, this.pitches, this.trackCount);
    rolls.forEach((r, i) => joined.data.set(r.data, i * r.data.length));
    return Array.from({ length: this.trackCount }, (_, t) => joined.notes(t));
  }
}

/** Writes tracks of notes as a −1/+1 roll (steps × pitches × tracks) into slot `slot` of `out`. */
export function writeTrackRoll(
  tracks: readonly (readonly Note[])[],
  slot: number,
  out: Float32Array,
  g: { readonly steps: number; readonly pitches: number; readonly pitchLow: number; readonly tracks: number },
): void {
  const base = slot * g.steps * g.pitches * g.tracks;
  out.fill(-1, base, base + g.steps * g.pitches * g.tracks);
  tracks.forEach((notes, k) => {
    if (k >= g.tracks) return;
    for (const n of notes) {
      const p = n.pitch - g.pitchLow;
      if (p < 0 || p >= g.pitches) continue;
      for (let s = Math.max(0, n.start); s < Math.min(g.steps, n.start + n.duration); s++) out[base + (s * g.pitches + p) * g.tracks + k] = 1;
    }
  });
}

/**
 * Notes moved onto a rhythmic grid: starts back to the grid point at or before them, ends to the
 * nearest grid point (at least one grid step long), so that the notes of a chord start together, as
 * the part's real notes do. In a monophonic line a note ends where the next one starts.
 */
export function snapToGrid(notes: readonly Note[], grid: number, monophonic: boolean, steps: number): Note[] {
  const snapped = notes.map((n) => {
    const start = Math.floor(n.start / grid) * grid;
    const end = Math.min(steps, Math.max(start + grid, Math.round((n.start + n.duration) / grid) * grid));
    return { ...n, start, duration: end - start };
  });
  snapped.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  if (monophonic) {
    const out: Note[] = [];
    for (const n of snapped) {
      const last = out[out.length - 1];
      if (last && last.start === n.start) continue; // two notes on one grid point: the first keeps it
      if (last && last.start + last.duration > n.start) out[out.length - 1] = { ...last, duration: n.start - last.start };
      out.push(n);
    }
    return out;
  }
  // Polyphonic: notes of one pitch that now overlap or touch become one.
  const byPitch = new Map<number, Note[]>();
  for (const n of snapped) byPitch.set(n.pitch, [...(byPitch.get(n.pitch) ?? []), n]);
  const out: Note[] = [];
  for (const list of byPitch.values()) {
    let current: Note | undefined;
    for (const n of list) {
      if (current && n.start < current.start + current.duration) {
        current = { ...current, duration: Math.max(current.start + current.duration, n.start + n.duration) - current.start };
      } else {
        if (current) out.push(current);
        current = n;
      }
    }
    if (current) out.push(current);
  }
  return out.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
}

/**
 * Notes shorter than `minSteps`: a short note right after another one is absorbed by it (in a
 * monophonic line: a passing flicker), otherwise lengthened into the rest after it when there is room,
 * else dropped. With `keepRuns`, short notes beside another short one (a run of 16ths) stay.
 */
export function mergeShortNotes(notes: readonly Note[], minSteps: number, monophonic: boolean, o: { keepRuns?: boolean } = {}): Note[] {
  if (!monophonic) {
    return notes.filter((n) => n.duration >= minSteps);
  }
  const out: Note[] = [];
  const sorted = [...notes].sort((a, b) => a.start - b.start);
  sorted.forEach((n, i) => {
    if (n.duration >= minSteps || (o.keepRuns && besideShortNote(sorted, i, minSteps))) {
      out.push(n);
      return;
    }
    const prev = out[out.length - 1];
    const next = sorted[i + 1];
    if (prev && prev.start + prev.duration === n.start) {
      out[out.length - 1] = { ...prev, duration: prev.duration + n.duration };
      return;
    }
    const room = (next ? next.start : Infinity) - n.start;
    if (room >= minSteps) out.push({ ...n, duration: minSteps });
  });
  return out;
}

/**
 * Whether note i of a line sorted by start touches a neighbour shorter than `below` steps (one that
 * ends where it starts, or starts where it ends): the two are a run of short notes, not a lone one.
 */
export function besideShortNote(sorted: readonly Note[], i: number, below: number): boolean {
  const [prev, n, next] = [sorted[i - 1], sorted[i], sorted[i + 1]];
  return (prev !== undefined && prev.duration < below && prev.start + prev.duration === n.start) || (next !== undefined && next.duration < below && n.start + n.duration === next.start);
}
