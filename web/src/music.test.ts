import { describe, expect, it } from 'vitest';
import { parseNotation } from '../../src/music/notation';
import { parseMeter } from './meter';
import { toNotation, type StepNote } from './music';

describe('a played melody written as notation', () => {
  // A waltz: a dotted half, then three quarters, then a half tied over the bar line.
  const waltz: StepNote[] = [
    { pitch: 67, start: 0, length: 12 },
    { pitch: 69, start: 12, length: 4 }, { pitch: 71, start: 16, length: 4 }, { pitch: 72, start: 20, length: 4 },
    { pitch: 74, start: 24, length: 16 },
  ];

  it('keeps 4/4 without a time setting', () => {
    expect(toNotation([{ pitch: 60, start: 0, length: 4 }], 100)).toBe('tempo=100 C4/4');
  });

  it('writes the meter and its bar lines, which the service reads back note for note', () => {
    const text = toNotation(waltz, 90, parseMeter('3/4'));
    expect(text).toBe('tempo=90 time=3/4 G4/2. | A4/4 B4/4 C5/4 | D5/2. ~ | D5/4');
    const melody = parseNotation(text);
    expect(melody.timeSignature).toEqual({ numerator: 3, denominator: 4 });
    expect(melody.tempo).toBe(90);
    expect(melody.notes.map((n) => [n.pitch, n.start, n.duration])).toEqual(waltz.map((n) => [n.pitch, n.start, n.length]));
  });

  it('writes 6/8 bars of twelve 16ths', () => {
    const text = toNotation([{ pitch: 69, start: 6, length: 6 }, { pitch: 74, start: 12, length: 3 }], 120, parseMeter('6/8'));
    expect(text).toBe('tempo=120 time=6/8 R/4. A4/4. | D5/8.');
    expect(parseNotation(text).timeSignature).toEqual({ numerator: 6, denominator: 8 });
  });
});
