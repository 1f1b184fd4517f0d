import type { Note } from './melody.js';

/**
 * A binary piano roll: steps × pitches × tracks, stored step-major (`[step][pitch][track]`), the
 * layout of an NHWC tensor. Pitch index 0 is MIDI `pitchLow`. Values are 0/1.
 */
export class PianoRoll {
  readonly data: Uint8Array;

  constructor(
    readonly steps: number,
    readonly pitchLow: number,
    readonly pitchCount: number,
    readonly tracks: number,
    data?: Uint8Array,
  ) {
    const size = steps * pitchCount * tracks;
    if (data && data.length !== size) throw new RangeError(`roll data has ${data.length} cells, expected ${size}`);
    this.data = data ?? new Uint8Array(size);
  }

  index(step: number, pitchIndex: number, track: number): number {
    return (step * this.pitchCount + pitchIndex) * this.tracks + track;
  }

  get(step: number, pitch: number, track: number): boolean {
    const p = pitch - this.pitchLow;
    if (p < 0 || p >= this.pitchCount || step < 0 || step >= this.steps) return false;
    return this.data[this.index(step, p, track)] === 1;
  }

  /** Writes a note's steps into a track; parts outside the roll are dropped. */
  addNote(track: number, note: Note): void {
    const p = note.pitch - this.pitchLow;
    if (p < 0 || p >= this.pitchCount) return;
    const end = Math.min(this.steps, note.start + note.duration);
    for (let s = Math.max(0, note.start); s < end; s++) this.data[this.index(s, p, track)] = 1;
  }

  static fromTracks(tracks: readonly (readonly Note[])[], steps: number, pitchLow: number, pitchCount: number): PianoRoll {
    const roll = new PianoRoll(steps, pitchLow, pitchCount, tracks.length);
    tracks.forEach((notes, t) => notes.forEach((n) => roll.addNote(t, n)));
    return roll;
  }

  /** Notes of one track: consecutive on-steps of one pitch merge into one note. */
  notes(track: number, velocity = 100): Note[] {
    const notes: Note[] = [];
    for (let p = 0; p < this.pitchCount; p++) {
      let start = -1;
      for (let s = 0; s <= this.steps; s++) {
        const on = s < this.steps && this.data[this.index(s, p, track)] === 1;
        if (on && start < 0) start = s;
        if (!on && start >= 0) {
          notes.push({ pitch: this.pitchLow + p, start, duration: s - start, velocity });
          start = -1;
        }
      }
    }
    return notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  }

  /** A copy of steps [from, from + length), zero-padded past the end. */
  slice(from: number, length: number): PianoRoll {
    const out = new PianoRoll(length, this.pitchLow, this.pitchCount, this.tracks);
    const frame = this.pitchCount * this.tracks;
    const end = Math.min(this.steps, from + length);
    if (end > from) out.data.set(this.data.subarray(from * frame, end * frame), 0);
    return out;
  }

  /** Pitches sounding at a step in a track, as MIDI numbers. */
  pitchesAt(step: number, track: number): number[] {
    const out: number[] = [];
    for (let p = 0; p < this.pitchCount; p++) if (this.data[this.index(step, p, track)] === 1) out.push(this.pitchLow + p);
    return out;
  }
}
