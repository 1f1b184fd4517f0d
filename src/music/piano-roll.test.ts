import { describe, expect, it } from 'vitest';
import { PianoRoll } from './piano-roll.js';
import type { Note } from './melody.js';

const n = (pitch: number, start: number, duration: number): Note => ({ pitch, start, duration, velocity: 100 });

describe('PianoRoll', () => {
  it('round-trips notes, merging consecutive on-steps of one pitch', () => {
    const notes = [n(60, 0, 4), n(64, 2, 6), n(67, 8, 8)];
    const roll = PianoRoll.fromTracks([notes], 16, 48, 32);
    expect(roll.notes(0)).toEqual(notes);
    const adjacent = PianoRoll.fromTracks([[n(60, 0, 2), n(60, 2, 2)]], 8, 48, 32);
    expect(adjacent.notes(0)).toEqual([n(60, 0, 4)]);
  });

  it('drops what lies outside its pitch rows and steps', () => {
    const roll = PianoRoll.fromTracks([[n(40, 0, 4), n(60, 6, 8)]], 8, 48, 32);
    expect(roll.notes(0)).toEqual([n(60, 6, 2)]);
  });

  it('keeps tracks apart and slices with zero padding', () => {
    const roll = PianoRoll.fromTracks([[n(60, 0, 8)], [n(48, 4, 4)]], 8, 48, 32);
    expect(roll.pitchesAt(5, 0)).toEqual([60]);
    expect(roll.pitchesAt(5, 1)).toEqual([48]);
    const tail = roll.slice(6, 4);
    expect(tail.notes(0)).toEqual([n(60, 0, 2)]);
    expect(tail.notes(1)).toEqual([n(48, 0, 2)]);
  });
});
