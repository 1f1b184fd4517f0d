import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors.js';
import { CHORD_QUALITIES, parseChordSymbol, type ChordSpan } from './chord.js';
import { formatChordBars, parseChordBars, readChordSymbol, spansFromMarks } from './chord-bars.js';
import { keyName } from './key.js';
import type { Melody } from './melody.js';
import { harmonyUsed, withRequestedHarmony } from './requested-harmony.js';

const c = (symbol: string) => parseChordSymbol(symbol)!;
const span = (start: number, duration: number, symbol: string): ChordSpan => ({ start, duration, chord: c(symbol) });

function error(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidInputError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('chords by bar', () => {
  it('gives each bar to its symbols in equal shares', () => {
    expect(parseChordBars('C | F G7 | Am . Dm G7 | C', 16)).toEqual([
      span(0, 16, 'C'), span(16, 8, 'F'), span(24, 8, 'G7'), span(32, 8, 'Am'), span(40, 4, 'Dm'), span(44, 4, 'G7'), span(48, 16, 'C'),
    ]);
    // 3/4: 12 steps, three beats.
    expect(parseChordBars('G . D7 | G', 12)).toEqual([span(0, 8, 'G'), span(8, 4, 'D7'), span(12, 12, 'G')]);
  });

  it('merges a chord held over bars, reads holds, N.C. and bar lines at the ends', () => {
    expect(parseChordBars('| C | C | . | G7 / |]', 16)).toEqual([span(0, 48, 'C'), span(48, 16, 'G7')]);
    expect(parseChordBars('N.C. . . G || C NC', 16)).toEqual([span(12, 4, 'G'), span(16, 8, 'C')]);
    expect(parseChordBars('. C', 16)).toEqual([span(8, 8, 'C')]);
    expect(parseChordBars('', 16)).toEqual([]);
    expect(parseChordBars('  ', 16)).toEqual([]);
  });

  it('holds the last chord to the end of the melody when its length is given', () => {
    expect(parseChordBars('C | G7', 16, 64)).toEqual([span(0, 16, 'C'), span(16, 48, 'G7')]);
    expect(parseChordBars('C | G7 N.C.', 16, 64)).toEqual([span(0, 16, 'C'), span(16, 8, 'G7')]);
    expect(parseChordBars('C F', 16, 8)).toEqual([span(0, 8, 'C')]);
  });

  it('reads lead-sheet spellings, ♯ and ♭, slash basses and optional (parenthesised) chords', () => {
    expect(parseChordBars('F#m7 B♭ (A7) C/E', 16).map((s) => s.chord)).toEqual([c('F#m7'), c('Bb'), c('A7'), c('C')]);
    expect(readChordSymbol('N.C.')).toBeNull();
    expect(readChordSymbol('H7')).toBeUndefined();
    for (const symbol of ['Cadd9', 'C7#9', 'Dm7(b5)', 'C6/9', 'Ebj7', 'F-7', 'E7alt', 'Fmaj7#11', 'Gsus', 'Bbm/Db', 'D/f+', 'C\nEm', 'c']) {
      expect(readChordSymbol(symbol), symbol).toBeTruthy();
    }
    for (const symbol of ['Great', 'Bass', 'Coda', 'Fine', 'D.C.', '']) expect(readChordSymbol(symbol), symbol).toBeUndefined();
    // The Nottingham tunes write diminished and augmented chords with a bare d and a.
    expect([readChordSymbol('Gd'), readChordSymbol('C#d'), readChordSymbol('Bbd/E'), readChordSymbol('Ca')]).toEqual([c('Gdim'), c('C#dim'), c('Bbdim'), c('Caug')]);
    expect(readChordSymbol('Dad')).toBeUndefined();
  });

  it('refuses unreadable symbols, uneven bars, empty bars and too many bars, naming the bar and the symbol', () => {
    const bad = error(() => parseChordBars('C | F H7 | C', 16));
    expect(bad.code).toBe('BAD_USER_INPUT');
    expect(bad.message).toMatch(/^chords: bar 2: 'H7' is not a chord symbol; write chords like C, Am, G7/);
    expect(bad.details).toEqual({ field: 'chords', bar: 2, symbol: 'H7' });
    const uneven = error(() => parseChordBars('C | F G Am', 16));
    expect(uneven.message).toMatch(/bar 2 \('F G Am'\) has 3 symbols, which cannot share a bar of 16 16th-note steps equally; write 1, 2, 4, 8, 16 symbols/);
    expect(error(() => parseChordBars('C F G Am Dm', 12)).message).toMatch(/write 1, 2, 3, 4, 6, 12 symbols/);
    expect(error(() => parseChordBars('C | | G', 16)).message).toMatch(/bar 2 is empty/);
    expect(error(() => parseChordBars('C | F | G | C | C', 16, 64)).message).toMatch(/5 bars given, but the melody has 4/);
    expect(error(() => parseChordBars(Array(33).fill('C').join('|'), 16)).message).toMatch(/33 bars given; a melody has at most 32/);
    expect(error(() => parseChordBars('C '.repeat(3000), 16)).message).toMatch(/the limit is 4000/);
  });

  it('writes spans back bar by bar in the fewest equal shares', () => {
    const spans = [span(0, 16, 'C'), span(16, 8, 'F'), span(24, 8, 'G7'), span(32, 12, 'Am'), span(44, 4, 'E7'), span(48, 16, 'A')];
    expect(formatChordBars(spans, 16, 64)).toBe('C | F G7 | Am . . E7 | A');
    expect(formatChordBars([span(4, 28, 'Dm7b5')], 16, 48)).toBe('N.C. Dm7b5 . . | Dm7b5 | N.C.');
    expect(formatChordBars([span(0, 1, 'C'), span(1, 15, 'G')], 16, 16)).toBe('C G . . . . . . . . . . . . . .');
    expect(formatChordBars([span(0, 12, 'G'), span(12, 12, 'D7')], 12, 24)).toBe('G | D7');
    expect(formatChordBars([], 16, 32)).toBe('N.C. | N.C.');
    expect(formatChordBars([span(0, 64, 'C')], 16, 0)).toBe('');
  });

  it('round-trips: spans → text → the same spans, text → spans → the same text', () => {
    const qualities = CHORD_QUALITIES.map((quality, i) => ({ root: (i * 5) % 12, quality }));
    for (const [bar, steps] of [[16, 64], [12, 48], [8, 32], [24, 48]] as const) {
      const spans: ChordSpan[] = [];
      let start = 0;
      let k = 0;
      while (start < steps) {
        const duration = Math.min(steps - start, [bar, bar / 2, bar / 4, 2 * bar, 1][k % 5]!);
        if (k % 7 !== 3) spans.push({ start, duration, chord: qualities[k % qualities.length]! });
        start += duration;
        k++;
      }
      const text = formatChordBars(spans, bar, steps);
      expect(parseChordBars(text, bar, steps)).toEqual(spans);
      expect(formatChordBars(parseChordBars(text, bar, steps), bar, steps)).toBe(text);
    }
    for (let root = 0; root < 12; root++) {
      for (const quality of CHORD_QUALITIES) {
        const spans = [{ start: 0, duration: 16, chord: { root, quality } }];
        expect(parseChordBars(formatChordBars(spans, 16, 16), 16, 16)).toEqual(spans);
      }
    }
    const text = 'C | F G7 | Am . Dm G7 | C';
    expect(formatChordBars(parseChordBars(text, 16, 64), 16, 64)).toBe(text);
  });

  it('marks at steps become spans up to the next mark or the end', () => {
    expect(spansFromMarks([{ start: 0, chord: c('C') }, { start: 8, chord: null }, { start: 16, chord: c('G') }, { start: 40, chord: c('F') }], 32)).toEqual([
      span(0, 8, 'C'), span(16, 16, 'G'),
    ]);
    expect(spansFromMarks([{ start: 4, chord: c('C') }, { start: 4, chord: c('D') }, { start: 12, chord: c('D') }], 16)).toEqual([span(4, 12, 'D')]);
  });
});

describe('the harmony a request gives', () => {
  const melody: Melody = {
    notes: [{ pitch: 67, start: 0, duration: 4, velocity: 90 }, { pitch: 62, start: 16, duration: 16, velocity: 90 }],
    tempo: 100,
    timeSignature: { numerator: 4, denominator: 4 },
    chords: [span(0, 32, 'G')],
    key: { tonic: 7, mode: 'major' },
  };

  it('replaces the melody\'s chords and key with those given, holding the last chord to the end', () => {
    const given = withRequestedHarmony(melody, { chords: 'Em', key: 'Em' });
    expect(given.chords).toEqual([span(0, 32, 'Em')]);
    expect(keyName(given.key!)).toBe('Em');
    expect(withRequestedHarmony(melody, {})).toEqual(melody);
    expect(withRequestedHarmony(melody, { chords: '', key: ' ' })).toEqual({ ...melody, chords: undefined });
    expect(() => withRequestedHarmony(melody, { key: 'H' })).toThrow(/^key: 'H' is not a key/);
    expect(() => withRequestedHarmony(melody, { chords: 'C | D | E' })).toThrow(/3 bars given, but the melody has 2/);
  });

  it('writes what a composition used back as text', () => {
    expect(harmonyUsed({ key: { tonic: 4, mode: 'minor' }, chords: [span(0, 16, 'Em'), span(16, 16, 'B7')], chordSource: 'harmoniser' }, melody))
      .toEqual({ key: 'Em', chords: 'Em | B7', chordSource: 'harmoniser' });
    expect(harmonyUsed({ key: { tonic: 7, mode: 'major' } }, melody)).toEqual({ key: 'G' });
  });
});
