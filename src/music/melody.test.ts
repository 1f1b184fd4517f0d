import { describe, expect, it } from 'vitest';
import { parseChordSymbol } from './chord.js';
import { COMMON_TIME, parseBarRange, takeBars, tempoAt, trimLeadingSilence, type Melody } from './melody.js';

describe('trimLeadingSilence', () => {
  const c = (s: string) => parseChordSymbol(s)!;

  it('moves the chords with the notes, cutting one that starts in the dropped bars', () => {
    const melody: Melody = {
      notes: [{ pitch: 60, start: 36, duration: 4, velocity: 90 }, { pitch: 62, start: 40, duration: 8, velocity: 90 }],
      tempo: 100,
      timeSignature: COMMON_TIME,
      chords: [{ start: 0, duration: 8, chord: c('F') }, { start: 24, duration: 16, chord: c('C') }, { start: 40, duration: 8, chord: c('G7') }],
      key: { tonic: 0, mode: 'major' },
    };
    const trimmed = trimLeadingSilence(melody);
    expect(trimmed.notes.map((n) => n.start)).toEqual([4, 8]);
    expect(trimmed.chords).toEqual([{ start: 0, duration: 8, chord: c('C') }, { start: 8, duration: 8, chord: c('G7') }]);
    expect(trimmed.key).toEqual(melody.key);
    expect(trimLeadingSilence({ ...melody, chords: undefined }).chords).toBeUndefined();
  });
});

describe('bar ranges', () => {
  const bar = (b: number, pitch = 60) => ({ pitch, start: b * 16, duration: 4, velocity: 90 });
  const long: Melody = { notes: Array.from({ length: 40 }, (_, b) => bar(b, 60 + (b % 12))), tempo: 80, timeSignature: COMMON_TIME, tempos: [{ step: 0, bpm: 80 }, { step: 160, bpm: 120 }] };

  it('reads ranges as people write them, and says how to write one', () => {
    expect(parseBarRange('17-48')).toEqual({ first: 17, last: 48 });
    expect(parseBarRange(' 17 – 20 ')).toEqual({ first: 17, last: 20 });
    expect(parseBarRange('3..4')).toEqual({ first: 3, last: 4 });
    expect(parseBarRange('17-')).toEqual({ first: 17 });
    expect(parseBarRange('8')).toEqual({ first: 1, last: 8 });
    expect(() => parseBarRange('a-b')).toThrow(/like "17-48"/);
    expect(() => parseBarRange('9-3')).toThrow(/the last comes after the first/);
    expect(() => parseBarRange('1-40')).toThrow(/40 bars; Continuo takes up to 32 at a time, like "1-32"/);
  });

  it('takes bars where they were: offset, the tempo in effect, chords cut to them', () => {
    const withChords: Melody = { ...long, chords: [{ start: 0, duration: 640, chord: { root: 0, quality: 'maj' } }] };
    const taken = takeBars(withChords, { first: 12, last: 14 });
    expect(taken.offset).toBe(11 * 16);
    expect(taken.tempo).toBe(120);
    expect(taken.notes.map((n) => [n.start, n.pitch])).toEqual([[0, 71], [16, 60], [32, 61]]);
    expect(taken.chords).toEqual([{ start: 0, duration: 48, chord: { root: 0, quality: 'maj' } }]);
    expect(long.offset).toBeUndefined(); // the input is not changed
    // "From bar 30 on" takes what is there; a range past the end is refused.
    expect(takeBars(long, { first: 30 }).notes).toHaveLength(11);
    expect(() => takeBars(long, { first: 41, last: 42 })).toThrow(/has 40 bars, so it has no bar 41/);
  });

  it('counts leading silence it drops as offset', () => {
    const late = trimLeadingSilence({ notes: [bar(3), bar(4)], tempo: 100, timeSignature: COMMON_TIME });
    expect(late.offset).toBe(48);
    expect(late.notes[0].start).toBe(0);
    expect(tempoAt([{ step: 0, bpm: 80 }, { step: 160, bpm: 120 }], 159, 100)).toBe(80);
  });
});
