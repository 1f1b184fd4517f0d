import { describe, expect, it } from 'vitest';
import type { ChordSpan } from './chord.js';
import { harmonyMeasures, percentileRange, pooledMeasures } from './harmony-measures.js';
import type { Note } from './melody.js';

const note = (pitch: number, start: number, duration: number): Note => ({ pitch, start, duration, velocity: 80 });
const C_MAJOR = { tonic: 0, mode: 'major' } as const;
const opts = { key: C_MAJOR, steps: 16, stepsPerBar: 16 };

// C D E F G A B C in quarter notes over two bars.
const scaleMelody = [60, 62, 64, 65, 67, 69, 71, 72].map((p, i) => note(p, i * 4, 4));

describe('harmonyMeasures', () => {
  it('finds a part in parallel thirds below the melody wholly consonant', () => {
    // Diatonic thirds below: A B C D E F G A, minor and major thirds mixed.
    const thirds = [57, 59, 60, 62, 64, 65, 67, 69].map((p, i) => note(p, i * 4, 4));
    const m = harmonyMeasures(scaleMelody, thirds, { ...opts, steps: 32 });
    expect(m.consonance).toBe(1);
    expect(m.dissonance).toBe(0);
    expect(m.comparedNoteSteps).toBe(32);
  });

  it('takes the interval from the lower note up, and counts the fourth as neither', () => {
    const melody = [note(60, 0, 16)];
    // G below C is a fourth up; E above is a third; C# above is a minor second; F# is a tritone.
    const m = harmonyMeasures(melody, [note(55, 0, 4), note(64, 4, 4), note(61, 8, 4), note(66, 12, 4)], opts);
    expect(m.consonance).toBe(0.25);
    expect(m.dissonance).toBe(0.5);
  });

  it('counts a note-step per sounding note and skips steps without melody for consonance', () => {
    const melody = [note(76, 0, 4)]; // E over C, E and G: a third, octaves, a sixth
    // A C-major triad held for 8 steps: 24 note-steps, 12 of them under the melody.
    const m = harmonyMeasures(melody, [note(60, 0, 8), note(64, 0, 8), note(67, 0, 8)], opts);
    expect(m.noteSteps).toBe(24);
    expect(m.comparedNoteSteps).toBe(12);
    expect(m.consonance).toBe(1);
    expect(m.notes).toBe(3);
  });

  it('measures the scale, chord tones, one-step notes, empty bars and range', () => {
    const chords: ChordSpan[] = [{ start: 0, duration: 16, chord: { root: 0, quality: 'maj' } }];
    const part = [note(60, 0, 1), note(61, 1, 1), note(62, 2, 2), note(40, 4, 4)];
    const m = harmonyMeasures([], part, { key: C_MAJOR, chords, steps: 48, stepsPerBar: 16, range: { low: 48, high: 72 } });
    expect(m.inScale).toBe(7 / 8); // C#'s one step is out of the scale
    expect(m.chordTone).toBe(5 / 8); // C (1) and E (4) are chord tones; C# and D are not
    expect(m.chordNoteSteps).toBe(8);
    expect(m.oneStepNotes).toBe(0.5);
    expect(m.bars).toBe(3);
    expect(m.emptyBars).toBe(2 / 3);
    expect(m.inRange).toBe(0.75);
    expect(m.consonance).toBe(0); // no melody: nothing compared, 0 rather than NaN
  });

  it('counts chord tones only where a chord is given and leaves chordTone out without chords', () => {
    const chords: ChordSpan[] = [{ start: 0, duration: 4, chord: { root: 7, quality: '7' } }];
    const part = [note(65, 0, 8)]; // F: the seventh of G7, then no chord
    expect(harmonyMeasures([], part, { ...opts, chords }).chordTone).toBe(1);
    expect(harmonyMeasures([], part, { ...opts, chords }).chordNoteSteps).toBe(4);
    expect(harmonyMeasures([], part, opts).chordTone).toBeUndefined();
    expect(harmonyMeasures([], part, opts).inRange).toBeUndefined();
  });

  it('ignores note-steps outside [0, steps) and reads a chordal melody by its top note', () => {
    const melody = [note(60, 0, 16), note(67, 0, 16)];
    const m = harmonyMeasures(melody, [note(66, 12, 8)], opts); // F# under G: a minor second, 4 steps inside
    expect(m.noteSteps).toBe(4);
    expect(m.dissonance).toBe(1);
  });

  it('gives an empty part zero shares and all bars empty', () => {
    const m = harmonyMeasures(scaleMelody, [], { ...opts, chords: [{ start: 0, duration: 16, chord: { root: 0, quality: 'maj' } }], range: { low: 0, high: 127 } });
    expect(m).toMatchObject({ consonance: 0, dissonance: 0, inScale: 0, chordTone: 0, oneStepNotes: 0, emptyBars: 1, inRange: 0, noteSteps: 0, notes: 0 });
    expect(Object.values(m).every((x) => x === undefined || Number.isFinite(x))).toBe(true);
  });
});

describe('pooledMeasures', () => {
  it('weights each share by its own denominator, not by piece', () => {
    const melody = [note(60, 0, 16)];
    // 4 compared note-steps, all consonant; then 12 compared, all dissonant.
    const a = harmonyMeasures(melody, [note(64, 0, 4)], { ...opts, range: { low: 60, high: 70 } });
    const b = harmonyMeasures(melody, [note(61, 0, 1), note(61, 1, 11)], { ...opts, steps: 32 });
    const pooled = pooledMeasures([a, b]);
    expect(pooled.consonance).toBeCloseTo(4 / 16);
    expect(pooled.dissonance).toBeCloseTo(12 / 16);
    expect(pooled.inScale).toBeCloseTo(4 / 16);
    expect(pooled.oneStepNotes).toBeCloseTo(1 / 3);
    expect(pooled.emptyBars).toBeCloseTo(1 / 3); // b's second bar of three bars in all
    expect(pooled.inRange).toBe(1); // only a has a range
    expect(pooled.chordTone).toBeUndefined();
    expect(pooled).toMatchObject({ noteSteps: 16, notes: 3, comparedNoteSteps: 16, bars: 3 });
  });

  it('pools nothing into zero shares', () => {
    expect(pooledMeasures([])).toMatchObject({ consonance: 0, emptyBars: 1, notes: 0, bars: 0 });
  });
});

describe('percentileRange', () => {
  it('takes pitch quantiles note by note, rounded outwards', () => {
    const notes = Array.from({ length: 21 }, (_, i) => note(40 + i, i, 100 - i)); // durations do not matter
    expect(percentileRange(notes)).toEqual({ low: 41, high: 59 });
    expect(percentileRange(notes, 0, 1)).toEqual({ low: 40, high: 60 });
    expect(percentileRange([note(60, 0, 1)])).toEqual({ low: 60, high: 60 });
    expect(percentileRange([])).toBeUndefined();
    expect(() => percentileRange(notes, 0.9, 0.1)).toThrow(RangeError);
  });
});
