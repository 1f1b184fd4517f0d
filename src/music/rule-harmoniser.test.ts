import { describe, expect, it } from 'vitest';
import { type ChordSpan, chordSymbol } from './chord.js';
import type { Note } from './melody.js';
import { diatonicTriads, ruleAccompaniment, ruleHarmonise } from './rule-harmoniser.js';

const note = (pitch: number, start: number, duration: number): Note => ({ pitch, start, duration, velocity: 80 });
const symbols = (spans: readonly ChordSpan[]) => spans.map((s) => `${chordSymbol(s.chord)}@${s.start}+${s.duration}`);
const C_MAJOR = { tonic: 0, mode: 'major' } as const;
const A_MINOR = { tonic: 9, mode: 'minor' } as const;

/** Quarter notes from a list of pitches, starting at `start`. */
const quarters = (pitches: readonly number[], start = 0) => pitches.map((p, i) => note(p, start + i * 4, 4));

describe('ruleHarmonise', () => {
  it('harmonises a C-major tune with C, F and G where their tones are', () => {
    const melody = quarters([60, 64, 67, 64, 65, 69, 72, 69, 67, 71, 74, 71, 72, 67, 64, 60]);
    expect(symbols(ruleHarmonise(melody, 64, 16))).toEqual(['C@0+16', 'F@16+16', 'G@32+16', 'C@48+16']);
  });

  it('breaks ties towards I, then IV, then V', () => {
    // C alone is in I, IV and vi; G alone in I, iii and V; D alone in ii, V and vii°; A alone in IV, ii and vi.
    const melody = [note(72, 0, 8), note(67, 8, 8), note(74, 16, 8), note(69, 24, 8)];
    expect(symbols(ruleHarmonise(melody, 32, 8, C_MAJOR))).toEqual(['C@0+16', 'G@16+8', 'F@24+8']);
  });

  it('keeps the previous chord through a silent segment and starts on the tonic', () => {
    const melody = [note(67, 8, 8), note(74, 16, 2)];
    // The silent first segment plays the tonic; the D in segment 2 picks V, which the silence keeps.
    expect(symbols(ruleHarmonise(melody, 40, 8, C_MAJOR))).toEqual(['C@0+16', 'G@16+24']);
  });

  it('weights the melody by duration and lets the last segment be short', () => {
    // One short E against a long F over one segment: F's triad (IV) holds more time than I's or iii's.
    const melody = [note(64, 0, 1), note(65, 1, 7), note(67, 8, 4)];
    expect(symbols(ruleHarmonise(melody, 12, 8, C_MAJOR))).toEqual(['F@0+8', 'C@8+4']);
  });

  it('detects the key when none is given', () => {
    // A tune in G major, ending on the tonic: the F# makes D (V of G) the chord of the third bar.
    const melody = quarters([67, 71, 74, 71, 72, 76, 79, 76, 74, 78, 81, 78, 79, 74, 71, 67]);
    expect(symbols(ruleHarmonise(melody, 64, 16))).toEqual(['G@0+16', 'C@16+16', 'D@32+16', 'G@48+16']);
  });

  it('uses the major dominant in minor keys', () => {
    const melody = quarters([69, 72, 76, 72, 68, 71, 76, 71, 69, 72, 76, 69]); // A C E C | G# B E B | A C E A
    expect(symbols(ruleHarmonise(melody, 48, 16, A_MINOR))).toEqual(['Am@0+16', 'E@16+16', 'Am@32+16']);
    expect(diatonicTriads(A_MINOR).map(chordSymbol)).toEqual(['Am', 'Dm', 'E', 'C', 'F', 'G', 'Bdim', 'Em']);
  });

  it('rejects a bad segment length and returns nothing for no steps', () => {
    expect(() => ruleHarmonise([], 16, 0)).toThrow(RangeError);
    expect(ruleHarmonise([note(60, 0, 4)], 0, 8)).toEqual([]);
  });
});

describe('ruleAccompaniment', () => {
  const spans: ChordSpan[] = [
    { start: 0, duration: 8, chord: { root: 0, quality: 'maj' } },
    { start: 8, duration: 8, chord: { root: 7, quality: '7' } },
    { start: 16, duration: 16, chord: { root: 9, quality: 'min' } },
  ];

  it('plays close root-position triads in 55…72 over a root bass in 36…55', () => {
    const { chords, bass } = ruleAccompaniment(spans);
    expect(chords.map((n) => [n.pitch, n.start, n.duration])).toEqual([
      [60, 0, 8], [64, 0, 8], [67, 0, 8],
      [55, 8, 8], [59, 8, 8], [62, 8, 8], // G7 plays its triad
      [57, 16, 16], [60, 16, 16], [64, 16, 16],
    ]);
    expect(bass.map((n) => [n.pitch, n.start, n.duration])).toEqual([[36, 0, 8], [43, 8, 8], [45, 16, 16]]);
    expect([...chords, ...bass].every((n) => n.velocity === 80)).toBe(true);
  });

  it('follows the ranges it is given', () => {
    const { chords, bass } = ruleAccompaniment(spans, { chordLow: 64, chordHigh: 80, bassLow: 28, bassHigh: 40 });
    expect(chords.filter((n) => n.start === 0).map((n) => n.pitch)).toEqual([72, 76, 79]);
    expect(chords.filter((n) => n.start === 8).map((n) => n.pitch)).toEqual([67, 71, 74]);
    expect(bass.map((n) => n.pitch)).toEqual([36, 31, 33]);
  });

  it('places a chord that cannot fit to overshoot the range least', () => {
    // F# major spans 7 semitones; in 55…72 a root of 54 is one too low and 66 puts the fifth one too
    // high: equal overshoots, and the lower placement wins.
    const { chords } = ruleAccompaniment([{ start: 0, duration: 4, chord: { root: 6, quality: 'maj' } }]);
    expect(chords.map((n) => n.pitch)).toEqual([54, 58, 61]);
  });
});
