import { describe, expect, it } from 'vitest';
import { parseChordSymbol } from './chord.js';
import { COMMON_TIME, trimLeadingSilence, type Melody } from './melody.js';

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
