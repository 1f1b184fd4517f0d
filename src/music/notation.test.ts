import { describe, expect, it } from 'vitest';
import { NotationError } from '../errors.js';
import { chordSymbol } from './chord.js';
import { keyName } from './key.js';
import { MAX_MELODY_BARS, stepsPerBar } from './melody.js';
import { parseNotation } from './notation.js';

/** The notes as [pitch, start, duration] triples, to compare in one line. */
function triples(text: string): [number, number, number][] {
  return parseNotation(text).notes.map((n) => [n.pitch, n.start, n.duration]);
}

/** The NotationError a text throws (fails the test if it parses). */
function errorOf(text: string): NotationError {
  try {
    parseNotation(text);
  } catch (e) {
    if (e instanceof NotationError) return e;
    throw e;
  }
  throw new Error(`'${text}' parsed without an error`);
}

describe('parseNotation: notes', () => {
  it('reads pitch letters, accidentals and octaves in scientific pitch notation', () => {
    expect(triples('C4 C#4 Db4 B3 Bb3 F##4 Ebb4 A0 C-1 G9').map(([p]) => p)).toEqual([
      60, 61, 61, 59, 58, 67, 62, 21, 0, 127,
    ]);
  });

  it('accepts lower-case letters, where b is B and bb is B flat', () => {
    expect(triples('c4 b4 bb4 Bbb4 e#4').map(([p]) => p)).toEqual([60, 71, 70, 69, 65]);
  });

  it('reads durations on the 16th grid: /1 /2 /4 /8 /16 and dots', () => {
    expect(triples('C4/1 D4/2 E4/4 F4/8 G4/16 A4/2. B4/4. C5/8.')).toEqual([
      [60, 0, 16],
      [62, 16, 8],
      [64, 24, 4],
      [65, 28, 2],
      [67, 30, 1],
      [69, 31, 12],
      [71, 43, 6],
      [72, 49, 3],
    ]);
  });

  it('starts at octave 4 and a quarter note, then carries the octave and the duration over', () => {
    expect(triples('E F5 G A/8 B C4/2 D')).toEqual([
      [64, 0, 4],
      [77, 4, 4],
      [79, 8, 4],
      [81, 12, 2],
      [83, 14, 2],
      [60, 16, 8],
      [62, 24, 8],
    ]);
  });

  it('does not carry the dot, which may follow the pitch when the duration is carried', () => {
    expect(triples('G4/8 A. B')).toEqual([
      [67, 0, 2],
      [69, 2, 3],
      [71, 5, 2],
    ]);
    expect(triples('G4.')).toEqual([[67, 0, 6]]);
  });

  it('reads the example from the description', () => {
    expect(triples('C4 F#5/8 Bb3/2. E/8 G4.')).toEqual([
      [60, 0, 4],
      [78, 4, 2],
      [58, 6, 12],
      [52, 18, 2],
      [67, 20, 3],
    ]);
  });

  it('reads rests, which take time, set the carried duration and make no note', () => {
    expect(triples('R C4 r/8. D4 R/2 E4/4')).toEqual([
      [60, 4, 4],
      [62, 11, 2],
      [64, 21, 4],
    ]);
  });

  it('gives every note velocity 100 and returns the notes in time order', () => {
    const melody = parseNotation('G4 E4 C4');
    expect(melody.notes.every((n) => n.velocity === 100)).toBe(true);
    expect(melody.notes.map((n) => n.start)).toEqual([0, 4, 8]);
  });

  it('separates tokens by spaces, line breaks or commas, and lets bar lines touch notes', () => {
    const expected = [
      [60, 0, 4],
      [62, 4, 4],
    ];
    expect(triples('C4,D4')).toEqual(expected);
    expect(triples('C4,\n  D4')).toEqual(expected);
    expect(triples('C4/2 D4/2|E4/1')).toEqual([
      [60, 0, 8],
      [62, 8, 8],
      [64, 16, 16],
    ]);
  });
});

describe('parseNotation: ties', () => {
  it('joins two notes of the same pitch into one', () => {
    expect(triples('C4/2~C4/8 D4')).toEqual([
      [60, 0, 10],
      [62, 10, 2],
    ]);
    expect(triples('C4/2 ~ C4/2')).toEqual([[60, 0, 16]]);
  });

  it('ties across a bar line', () => {
    expect(triples('C4/2 E4/2 | G4/1 ~ | G4/2 F4/4 E4')).toEqual([
      [60, 0, 8],
      [64, 8, 8],
      [67, 16, 24],
      [65, 40, 4],
      [64, 44, 4],
    ]);
  });
});

describe('parseNotation: settings', () => {
  it('defaults to 4/4 at 100 quarter notes per minute and no title', () => {
    const melody = parseNotation('C4');
    expect(melody.tempo).toBe(100);
    expect(melody.timeSignature).toEqual({ numerator: 4, denominator: 4 });
    expect(melody).not.toHaveProperty('title');
  });

  it('reads tempo, bpm, time and a quoted title (which may hold spaces, commas and bar lines)', () => {
    const melody = parseNotation('tempo=132 time=3/4 title="Waltz, no. 1 | slow" C4/2.');
    expect(melody.tempo).toBe(132);
    expect(melody.timeSignature).toEqual({ numerator: 3, denominator: 4 });
    expect(melody.title).toBe('Waltz, no. 1 | slow');
    expect(parseNotation('bpm=60, C4').tempo).toBe(60);
    expect(parseNotation('title=Etude C4').title).toBe('Etude');
    expect(parseNotation('title=“Smart quotes” C4').title).toBe('Smart quotes');
  });

  it('accepts settings in any order and case, at the tempo limits', () => {
    expect(parseNotation('TIME=2/2 Tempo=20 C4').tempo).toBe(20);
    expect(parseNotation('tempo=400 C4').tempo).toBe(400);
    expect(parseNotation('time=6/8 tempo=90 C4').timeSignature).toEqual({ numerator: 6, denominator: 8 });
  });
});

describe('parseNotation: bars', () => {
  it('checks full bars in 4/4 and places them from step 0', () => {
    expect(triples('C4 D4 E4 F4 | G4/1 |]')).toEqual([
      [60, 0, 4],
      [62, 4, 4],
      [64, 8, 4],
      [65, 12, 4],
      [67, 16, 16],
    ]);
  });

  it('shifts a one-beat pickup in 4/4 to step 12', () => {
    const melody = parseNotation('G4 | C5 D5 E5 F5 | G5/1 ||');
    expect(melody.notes[0]).toMatchObject({ pitch: 67, start: 12, duration: 4 });
    expect(melody.notes[1]).toMatchObject({ pitch: 72, start: 16 });
    expect(melody.notes[5]).toMatchObject({ pitch: 79, start: 32, duration: 16 });
  });

  it('shifts a pickup in 3/4 so the second bar starts on a bar line', () => {
    const melody = parseNotation('time=3/4 D4/8 E4/8 | G4/2 B4/4 | D5/2. |]');
    const bar = stepsPerBar(melody.timeSignature);
    expect(bar).toBe(12);
    expect(melody.notes.map((n) => [n.pitch, n.start, n.duration])).toEqual([
      [62, 8, 2],
      [64, 10, 2],
      [67, 12, 8],
      [71, 20, 4],
      [74, 24, 12],
    ]);
  });

  it('reads 3/4 bars without a pickup', () => {
    expect(triples('time=3/4 C4 E4 G4 | C5/2. | G4/2 E4/4 |]').map(([, s, d]) => [s, d])).toEqual([
      [0, 4],
      [4, 4],
      [8, 4],
      [12, 12],
      [24, 8],
      [32, 4],
    ]);
  });

  it('reads 6/8 bars of eighth notes', () => {
    const melody = parseNotation('time=6/8 A4/8 | D5/4 D5/8 D5/4 E5/8 | F#5/4. E5/4. |]');
    expect(melody.notes.map((n) => n.start)).toEqual([10, 12, 16, 18, 22, 24, 30]);
  });

  it('does not shift a melody whose only bar is short', () => {
    expect(triples('C4 D4 E4 |').map(([, s]) => s)).toEqual([0, 4, 8]);
  });

  it('lets the last bar be short and ignores a bar line before the first note', () => {
    expect(triples('| C4 D4 E4 F4 | G4/2 |]').map(([, s]) => s)).toEqual([0, 4, 8, 12, 16]);
  });

  it('checks nothing without bar lines', () => {
    expect(triples('C4/2. D4/2. E4/2.').map(([, s]) => s)).toEqual([0, 12, 24]);
  });

  it('keeps a leading rest bar as written', () => {
    expect(triples('R/1 | C4/4 D4 E4 F4').map(([, s]) => s)).toEqual([16, 20, 24, 28]);
  });

  it('takes a melody of exactly MAX_MELODY_BARS bars', () => {
    const text = Array.from({ length: MAX_MELODY_BARS }, () => 'C4/1').join(' | ');
    const melody = parseNotation(text);
    expect(melody.notes).toHaveLength(MAX_MELODY_BARS);
    expect(melody.notes.at(-1)).toMatchObject({ start: (MAX_MELODY_BARS - 1) * 16, duration: 16 });
  });
});

describe('parseNotation: errors name the bar and the token', () => {
  it('rejects a token that is not a note', () => {
    const e = errorOf('C4 D4 E4 F4 | G4 A4 B4 C5 | H4');
    expect(e).toBeInstanceOf(NotationError);
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.bar).toBe(3);
    expect(e.token).toBe('H4');
    expect(e.message).toMatch(/^bar 3: 'H4' is not a note; use a pitch letter A–G/);
    expect(e.message).toContain('like C4 or F#5/8');
    expect(e.details).toEqual({ bar: 3, token: 'H4' });
  });

  it('counts bars by position when no bar lines are written', () => {
    const e = errorOf('C4/1 D4/1 X');
    expect([e.bar, e.token]).toEqual([3, 'X']);
    expect(e.message).toMatch(/^bar 3: 'X' is not a note/);
  });

  it('rejects an overfull bar with its beats', () => {
    const e = errorOf('C4 D4 E4 F4 | C4 D4 E4 F4 G4 | C4/1');
    expect(e.bar).toBe(2);
    expect(e.token).toBe('C4 D4 E4 F4 G4');
    expect(e.message).toBe("bar 2 ('C4 D4 E4 F4 G4') holds 5 beats; a 4/4 bar holds 4 beats — check the durations");
  });

  it('rejects an overfull first bar and an overfull last bar', () => {
    expect(errorOf('C4/1 D4/4 | E4/1').message).toMatch(/^bar 1 \('C4\/1 D4\/4'\) holds 5 beats/);
    const last = errorOf('C4/1 | D4/1 E4/4');
    expect([last.bar, last.token]).toEqual([2, 'D4/1 E4/4']);
  });

  it('counts beats in the time signature’s unit', () => {
    const e = errorOf('time=3/4 C4/2. | C4/2 D4/2 | E4/2.');
    expect(e.message).toBe("bar 2 ('C4/2 D4/2') holds 4 beats; a 3/4 bar holds 3 beats — check the durations");
    expect(errorOf('time=6/8 C4/8 | C4/4. D4/4 | E4/4.').message).toContain('holds 5 beats; a 6/8 bar holds 6 beats');
    expect(errorOf('C4/1 | C4/2 D4/4 E4/8 F4/8 G4/16 | C4/1').message).toContain('holds 4.25 beats');
  });

  it('says when a bar is wrong because its first note kept a duration from the bar before', () => {
    const over = errorOf('C4 D4 E4 F4 | G4/1 | C4 D4 E4 F4');
    expect([over.bar, over.token]).toEqual([3, 'C4 D4 E4 F4']);
    expect(over.message).toBe(
      "bar 3 ('C4 D4 E4 F4') holds 16 beats; a 4/4 bar holds 4 beats — 'C4' has no duration and keeps the /1 of 'G4/1' in bar 2 (a duration carries over to the notes after it); check the durations",
    );
    expect(errorOf('C4/8 D4 E4 F4 G4 A4 B4 C5 | D4 E4 F4 | G4/1').message).toContain(
      "only the first bar (a pickup) and the last may be shorter; 'D4' has no duration and keeps the /8 of 'C4/8' in bar 1",
    );
    // Not when the bar's first note has its own duration, nor when what carries over is a quarter.
    expect(errorOf('C4/1 | C4/1 D4 | E4/1').message).not.toContain('carries over');
    expect(errorOf('C4/4 D4 E4 F4 | C4 D4 E4 F4 G4 | C4/1').message).not.toContain('carries over');
  });

  it('rejects a short bar in the middle once more music follows it', () => {
    const e = errorOf('C4 D4 E4 F4 | G4 A4 B4 | C5/1');
    expect(e.bar).toBe(2);
    expect(e.token).toBe('G4 A4 B4');
    expect(e.message).toMatch(/^bar 2 \('G4 A4 B4'\) holds 3 beats; a 4\/4 bar holds 4 beats — only the first bar \(a pickup\) and the last may be shorter/);
  });

  it('rejects durations other than /1 /2 /4 /8 /16', () => {
    for (const token of ['C4/3', 'C4/32', 'C4/', 'R/6']) {
      const e = errorOf(`C4/1 | ${token}`);
      expect([e.bar, e.token]).toEqual([2, token]);
      expect(e.message).toBe(`bar 2: '${token}' has an unknown duration; use /1, /2, /4, /8 or /16 (whole, half, quarter, eighth or sixteenth), with an optional dot`);
    }
  });

  it('rejects a dotted 16th, written or carried', () => {
    const written = errorOf('C4/16.');
    expect([written.bar, written.token]).toEqual([1, 'C4/16.']);
    expect(written.message).toContain('dotted 16th');
    expect(written.message).toContain('use /16 or /8');
    const carried = errorOf('C4/1 | D4/16 E.');
    expect([carried.bar, carried.token]).toEqual([2, 'E.']);
    expect(errorOf('r/16.').token).toBe('r/16.');
  });

  it('rejects pitches outside MIDI 0–127', () => {
    const high = errorOf('C4 G#9');
    expect([high.bar, high.token]).toEqual([1, 'G#9']);
    expect(high.message).toBe("bar 1: 'G#9' is MIDI 128, outside 0–127; use a pitch from C-1 to G9 (octaves -1 to 9)");
    expect(errorOf('Cb-1').message).toContain('MIDI -1');
    expect(errorOf('C10').message).toContain('MIDI 132');
  });

  it('rejects empty input and input without notes', () => {
    const empty = errorOf('   ');
    expect([empty.bar, empty.token]).toEqual([1, '']);
    expect(empty.message).toBe('bar 1: the melody is empty; write notes like C4 D4 E4/2 (R is a rest)');
    const rests = errorOf('tempo=90 R R/2');
    expect(rests.message).toMatch(/^bar 1: no notes found in 'tempo=90 R R\/2'; write notes like C4 D4 E4\/2/);
  });

  it('rejects more than MAX_MELODY_BARS bars, with or without bar lines', () => {
    const withBars = errorOf([...Array.from({ length: MAX_MELODY_BARS }, () => 'C4/1'), 'D4'].join(' | '));
    expect([withBars.bar, withBars.token]).toEqual([MAX_MELODY_BARS + 1, 'D4']);
    expect(withBars.message).toBe(`bar 33: 'D4' ends after bar 32; Continuo takes melodies of up to 32 bars — shorten it`);
    const withoutBars = errorOf(`${'C4/1 '.repeat(MAX_MELODY_BARS)}C4/2 D4/2`);
    expect([withoutBars.bar, withoutBars.token]).toEqual([33, 'C4/2']);
  });

  it('counts the pickup shift towards the bar limit', () => {
    const text = ['C4', ...Array.from({ length: MAX_MELODY_BARS - 1 }, () => 'C4/1'), 'D4/4 E4'].join(' | ');
    const e = errorOf(text);
    expect(e.bar).toBe(MAX_MELODY_BARS + 1);
    expect(e.token).toBe('D4/4');
  });

  it('rejects bad settings and says what is valid', () => {
    const tempo = errorOf('tempo=500 C4');
    expect([tempo.bar, tempo.token]).toEqual([1, 'tempo=500']);
    expect(tempo.message).toBe("bar 1: 'tempo=500' is not a tempo; use a whole number of quarter notes per minute from 20 to 400, like tempo=120");
    expect(errorOf('tempo=19 C4').token).toBe('tempo=19');
    expect(errorOf('bpm=fast C4').token).toBe('bpm=fast');
    const time = errorOf('time=5/3 C4');
    expect(time.message).toBe("bar 1: 'time=5/3' is not a time signature; use time=N/D with N from 1 to 16 and D one of 1, 2, 4, 8, 16, like time=3/4");
    expect(errorOf('time=17/4 C4').token).toBe('time=17/4');
    expect(errorOf('time=waltz C4').token).toBe('time=waltz');
    const unknown = errorOf('meter=3/4 C4');
    expect(unknown.message).toBe(`bar 1: 'meter=3/4' is not a setting; use tempo=120, time=3/4, key=G or title="My tune"`);
    const key = errorOf('key=H C4');
    expect([key.bar, key.token]).toEqual([1, 'key=H']);
    expect(key.message).toBe("bar 1: 'key=H' is not a key; use a tonic A–G with an optional # or b, and m for minor, like key=G, key=F#m or key=Bbm");
  });

  it('rejects a setting after the first note', () => {
    const e = errorOf('C4/1 | D4 time=3/4');
    expect([e.bar, e.token]).toEqual([2, 'time=3/4']);
    expect(e.message).toBe("bar 2: 'time=3/4' comes after the first note; put settings before the first note or rest");
  });

  it('rejects a title without its closing quote', () => {
    const e = errorOf('title="Ode to Joy C4 D4');
    expect(e.bar).toBe(1);
    expect(e.token).toBe('title="Ode to Joy C4 D4');
    expect(e.message).toContain('has no closing quote');
  });

  it('rejects repeat signs', () => {
    const e = errorOf('C4/1 | D4/1 :|');
    expect([e.bar, e.token]).toEqual([2, ':|']);
    expect(e.message).toContain('write the repeated bars out');
    expect(errorOf('|: C4').token).toBe('|:');
  });

  it('rejects ties that do not join two notes of the same pitch', () => {
    const different = errorOf('C4/1 | C4 ~ D4');
    expect([different.bar, different.token]).toEqual([2, 'D4']);
    expect(different.message).toBe("bar 2: '~' ties 'C4' to 'D4', a different pitch; a tie joins two notes of the same pitch");
    const rest = errorOf('C4 ~ R');
    expect([rest.bar, rest.token]).toEqual([1, 'R']);
    expect(rest.message).toContain('is followed by the rest');
    const first = errorOf('~ C4');
    expect([first.bar, first.token]).toEqual([1, '~']);
    expect(errorOf('C4 ~ ~ C4').token).toBe('~');
    expect(errorOf('R ~ C4').token).toBe('~');
    const dangling = errorOf('C4 D4 ~');
    expect([dangling.bar, dangling.token]).toEqual([1, '~']);
    expect(dangling.message).toContain('has no note to tie to');
  });
});

describe('docs/notation.md examples', () => {
  it('all parse', () => {
    for (const text of [
      'tempo=90 title="Ode to Joy"\nE4 E4 F4 G4 | G4 F4 E4 D4 | C4 C4 D4 E4 | E4/4. D4/8 D4/2 |]',
      'C4 D4 E4 C4 | C4 D4 E4 C4 | E4 F4 G4/2 | E4/4 F4 G4/2 |]',
      'time=3/4 tempo=90 D4 | G4/2 B4/4 | D5/2. | C5/4 B4 A4 | G4/2. |]',
      'time=6/8 A4/8 | D5/4 D5/8 D5/4 E5/8 | F#5/4. E5/4. |]',
      'tempo=120 R/4 C4 E4 F4 | G4/1 |]',
      'C4/2~C4/8 D4/8 E4/4 | F4/1',
      'G4/2 ~ | G4/4 A B',
      'G4 | C5 D5 E5 F5',
      '"G7" G4 A4 B4 | "C" C5/1',
      '"C"C4 D4 "Am"E4 C4 | "F"F4 "G7"G4 "C"C4/2 |]',
      'key=G time=3/4 "D7" D4 | "G" G4/2 B4/4 | "C" C5/4 "D7" A4/2 | "G" G4/2. |]',
    ]) {
      expect(parseNotation(text).notes.length).toBeGreaterThan(0);
    }
  });
});

describe('parseNotation: chord symbols and the key', () => {
  const chords = (text: string): [string, number, number][] =>
    (parseNotation(text).chords ?? []).map((c) => [chordSymbol(c.chord), c.start, c.duration]);

  it('starts a chord where the next note or rest starts and holds it to the next symbol or the end', () => {
    // Three beats before the bar line: a pickup, and its chord moves with it.
    expect(chords('"G7" G4 A4 B4 | "C" C5/1')).toEqual([['G7', 4, 12], ['C', 16, 16]]);
    expect(chords('"G7" G4 A4 B4 C5 | "C" C5/1')).toEqual([['G7', 0, 16], ['C', 16, 16]]);
    // The last chord lasts to the end of the melody's last bar.
    expect(chords('"C" C4 D4 E4 F4 | "G" G4/2')).toEqual([['C', 0, 16], ['G', 16, 16]]);
    expect(chords('C4 "F" R/8 F4/8 "G7"G4/2 | "C"C4/1')).toEqual([['F', 4, 4], ['G7', 8, 8], ['C', 16, 16]]);
  });

  it('reads touching symbols, smart quotes, N.C. and lead-sheet spellings', () => {
    expect(chords('"C"C4 “Am7”A4 "N.C."B4 "Bb/D"D4|"F#m7b5"F#4/1')).toEqual([['C', 0, 4], ['Am7', 4, 4], ['Bb', 12, 4], ['F#m7b5', 16, 16]]);
    expect(chords('|"C"C4/1|"G"G4/1|]')).toEqual([['C', 0, 16], ['G', 16, 16]]);
  });

  it('moves chords with a pickup', () => {
    const melody = parseNotation('time=3/4 "D7" D4 | "G" G4/2 B4/4 | "C" C5/4 "D7" A4/2 | "G" G4/2. |]');
    expect(melody.notes[0]!.start).toBe(8);
    expect(chords('time=3/4 "D7" D4 | "G" G4/2 B4/4 | "C" C5/4 "D7" A4/2 | "G" G4/2. |]')).toEqual([
      ['D7', 8, 4], ['G', 12, 12], ['C', 24, 4], ['D7', 28, 8], ['G', 36, 12],
    ]);
  });

  it('has no chords without symbols', () => {
    expect(parseNotation('C4 D4').chords).toBeUndefined();
  });

  it('refuses unreadable, doubled and dangling chord symbols, naming the bar and the token', () => {
    const bad = errorOf('"C" C4/1 | "Hm" D4/1');
    expect([bad.bar, bad.token]).toEqual([2, '"Hm"']);
    expect(bad.message).toMatch(/^bar 2: '"Hm"' is not a chord symbol; write chords like C, Am, G7/);
    expect(errorOf('"Great" C4').token).toBe('"Great"');
    const doubled = errorOf('C4/1 | "C" "G" D4/1');
    expect([doubled.bar, doubled.token]).toEqual([2, '"G"']);
    expect(doubled.message).toContain('two chord symbols before one note or rest');
    const dangling = errorOf('C4/1 | D4/1 "G"');
    expect(dangling.token).toBe('"G"');
    expect(dangling.message).toContain('has no note or rest after it');
    expect(errorOf('"G7 G4').message).toContain('close the chord symbol');
  });

  it('reads key= as the melody\'s key', () => {
    expect(keyName(parseNotation('key=Gm G4').key!)).toBe('Gm');
    expect(keyName(parseNotation('key=F# G4').key!)).toBe('F#');
    expect(keyName(parseNotation('key="Bb minor" G4').key!)).toBe('Bbm');
    expect(parseNotation('G4').key).toBeUndefined();
  });
});
