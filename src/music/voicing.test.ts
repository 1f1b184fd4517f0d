import { describe, expect, it } from 'vitest';
import { bassFromChords, chordPitchClasses, intoRange, splitBass, voiceChord } from './voicing.js';

const note = (pitch: number, start: number, duration: number) => ({ pitch, start, duration, velocity: 80 });

describe('voicing', () => {
  it('splits a piano part into its lowest line and the rest', () => {
    const { bass, upper } = splitBass([note(48, 0, 8), note(60, 0, 4), note(64, 2, 2), note(43, 4, 4), note(67, 4, 4)]);
    expect(bass).toEqual([note(48, 0, 4), note(43, 4, 4)]); // the held C ends where the G starts
    expect(upper).toEqual([note(60, 0, 4), note(64, 2, 2), note(67, 4, 4)]);
  });

  it('leaves a lowest note above the bass register in the chords', () => {
    const { bass, upper } = splitBass([note(45, 0, 4), note(72, 4, 4), note(76, 4, 4)], 55);
    expect(bass).toEqual([note(45, 0, 4)]);
    expect(upper.map((n) => n.pitch)).toEqual([72, 76]);
  });

  it('derives a bass line from block chords, moved by octaves into the bass range', () => {
    expect(intoRange(67, 33, 52)).toBe(43);
    expect(intoRange(30, 33, 52)).toBe(42);
    expect(bassFromChords([note(55, 0, 8), note(59, 0, 8), note(62, 0, 8), note(60, 8, 8), note(64, 8, 8)])).toEqual([
      note(43, 0, 8),
      note(48, 8, 8),
    ]);
  });

  it('reads lead-sheet chord symbols, the Weimar spellings included', () => {
    expect(chordPitchClasses('C-7')).toEqual({ root: 0, pitchClasses: [0, 3, 7, 10] });
    expect(chordPitchClasses('Ebj7')).toEqual({ root: 3, pitchClasses: [3, 7, 10, 2] });
    expect(chordPitchClasses('Bb7')?.pitchClasses.sort((a, b) => a - b)).toEqual([2, 5, 8, 10]);
    expect(chordPitchClasses('C79b')?.pitchClasses).toEqual([0, 4, 7, 10]); // unknown extension dropped
    expect(chordPitchClasses('F7alt')?.root).toBe(5);
    expect(chordPitchClasses('NC')).toBeUndefined();
    expect(chordPitchClasses('chord')).toBeUndefined();
  });

  it('voices chords in close position inside the range, moving little from the last voicing', () => {
    const c = voiceChord([0, 4, 7, 10], 0, undefined, 52, 76);
    expect(c).toHaveLength(4);
    expect(c.every((p) => p >= 52 && p <= 76)).toBe(true);
    expect(new Set(c.map((p) => p % 12))).toEqual(new Set([0, 4, 7, 10]));
    expect(c[c.length - 1] - c[0]).toBeLessThan(12);
    const f = voiceChord([5, 9, 0, 3], 5, c, 52, 76);
    const centre = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(Math.abs(centre(f) - centre(c))).toBeLessThanOrEqual(3);
    // More than four classes: the root is left to the bass.
    expect(voiceChord([0, 4, 7, 10, 2], 0, undefined).map((p) => p % 12)).not.toContain(0);
  });
});
