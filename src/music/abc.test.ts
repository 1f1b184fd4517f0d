import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NotationError } from '../errors.js';
import { parseAbc } from './abc.js';
import { chordSymbol } from './chord.js';
import { keyName } from './key.js';
import { stepsPerBar, type Melody } from './melody.js';

/** The notes as [pitch, start, duration] triples. */
function triples(melody: Melody): [number, number, number][] {
  return melody.notes.map((n) => [n.pitch, n.start, n.duration]);
}

function errorOf(text: string, options?: { tune?: number }): NotationError {
  try {
    parseAbc(text, options);
  } catch (e) {
    if (e instanceof NotationError) return e;
    throw e;
  }
  throw new Error('parsed without an error');
}

/** Notes in time order, each at least a step long, none overlapping the next. */
function expectWellFormed(melody: Melody): void {
  for (const [i, n] of melody.notes.entries()) {
    expect(n.duration).toBeGreaterThanOrEqual(1);
    expect(n.pitch).toBeGreaterThanOrEqual(0);
    expect(n.pitch).toBeLessThanOrEqual(127);
    const next = melody.notes[i + 1];
    if (next) expect(n.start + n.duration).toBeLessThanOrEqual(next.start);
  }
}

const abc = (body: string, header = 'L:1/4\nK:C'): string => `X:1\nT:Test\n${header}\n${body}\n`;

// Two tunes of the Nottingham Music Database (ABC_cleaned), GPL-3.0-licensed data, copied verbatim.
// A reel in 4/4 and D major, with a repeat, ties written before the tied note and a `Y:` field.
const TWENTY_NINTH_OF_MAY = `X: 1
T:The 29th of May
% Nottingham Music Database
Y:AAB
M:4/4
L:1/4
K:D
P:A
|:"D"af "G"gf|"Em"e/2d/2c/2B/2 "A"Af|"G"gB "A7"cB/2c/2|"D"dA "A7"GF/2E/2:|
P:B
"D"FA -AG/2F/2|"G"GB -"Em"BB|"A7"c/2d/2e c/2d/2e|"A7"cB/2c/2 Ad/2e/2|
"D"fe/2f/2 "D7"de/2f/2|"G"gf/2g/2 "A"ef/2g/2|"G"aB "A7"cB/2c/2|"D"d2 d||
`;
// A jig in 6/8 and B flat major (default length 1/8) with a pickup and `::` repeats.
const CHELMSFORD_RACES = `X: 47
T:Chelmsford Races
% Nottingham Music Database
S:Thomas Hardy Collection, via Phil Rowe
M:6/8
K:Bb
F|"Bb"B2B BAB|"F"c2c f2f|"Bb"d2d B2B|"F"ABc FGA|
"Bb"B2B BAB|"F"c2c f2f|"Eb"egf "F"edc|"Bb"B2B B2::
f|"Bb"fef def|"Eb"g2g g3|"F"aga fga|"Bb"b2b b3|
"Bb"fef def|"Eb"g2a bag|"Bb"fgf "F7"edc|"Bb"B2B B2:|
`;

describe('parseAbc: real tunes (embedded)', () => {
  it('reads a reel in D major note for note (checked by hand)', () => {
    const melody = parseAbc(TWENTY_NINTH_OF_MAY);
    expect(melody.title).toBe('The 29th of May');
    expect(melody.timeSignature).toEqual({ numerator: 4, denominator: 4 });
    expect(melody.tempo).toBe(100);
    // a=A5 f=F#5 g=G5 f | e d c=C#5 B A f | g B c B/2 c/2 | d A G F#4/2 E4/2
    expect(triples(melody).slice(0, 20)).toEqual([
      [81, 0, 4], [78, 4, 4], [79, 8, 4], [78, 12, 4],
      [76, 16, 2], [74, 18, 2], [73, 20, 2], [71, 22, 2], [69, 24, 4], [78, 28, 4],
      [79, 32, 4], [71, 36, 4], [73, 40, 4], [71, 44, 2], [73, 46, 2],
      [74, 48, 4], [69, 52, 4], [67, 56, 4], [66, 60, 2], [64, 62, 2],
    ]);
    // B part, not repeated: F# A~A G/2 F/2 | G B~B B — the ties make one long A and one long B.
    expect(triples(melody).slice(20, 28)).toEqual([
      [66, 64, 4], [69, 68, 8], [67, 76, 2], [66, 78, 2],
      [67, 80, 4], [71, 84, 8], [71, 92, 4], [73, 96, 2],
    ]);
    expect(melody.notes.at(-1)).toEqual({ pitch: 74, start: 184, duration: 4, velocity: 100 });
    expectWellFormed(melody);
  });

  it('reads a jig in 6/8 and B flat with its pickup on the last eighth of bar 1', () => {
    const melody = parseAbc(CHELMSFORD_RACES);
    expect(melody.timeSignature).toEqual({ numerator: 6, denominator: 8 });
    expect(stepsPerBar(melody.timeSignature)).toBe(12);
    // F | B=Bb4 (quarter) B B A B | c (quarter) c f (quarter) f | d d B B
    expect(triples(melody).slice(0, 14)).toEqual([
      [65, 10, 2],
      [70, 12, 4], [70, 16, 2], [70, 18, 2], [69, 20, 2], [70, 22, 2],
      [72, 24, 4], [72, 28, 2], [77, 30, 4], [77, 34, 2],
      [74, 36, 4], [74, 40, 2], [70, 42, 4], [70, 46, 2],
    ]);
    // "egf" in bar 7 (eb in the key): Eb5 G5 F5 from step 84.
    expect(triples(melody).filter(([, s]) => s >= 84 && s < 90)).toEqual([
      [75, 84, 2], [79, 86, 2], [77, 88, 2],
    ]);
    // The B part's pickup f completes the short last bar of the A part: bars stay on the grid.
    expect(melody.notes.find((n) => n.start === 106)).toMatchObject({ pitch: 77, duration: 2 });
    expect(melody.notes.find((n) => n.start === 108)).toMatchObject({ pitch: 77 });
    expectWellFormed(melody);
  });
});

describe('parseAbc: pitches', () => {
  it('reads octave marks: C, is an octave below C (middle C), c an octave above, c\' two', () => {
    expect(triples(parseAbc(abc("C,, C, C c c' c''|"))).map(([p]) => p)).toEqual([36, 48, 60, 72, 84, 96]);
  });

  it('applies the key signature to every octave', () => {
    expect(triples(parseAbc(abc('F f C c B|', 'L:1/4\nK:D'))).map(([p]) => p)).toEqual([66, 78, 61, 73, 71]);
    expect(triples(parseAbc(abc('B E b e A|', 'L:1/4\nK:Bb'))).map(([p]) => p)).toEqual([70, 63, 82, 75, 69]);
    expect(triples(parseAbc(abc('F G A B|', 'L:1/4\nK:Em'))).map(([p]) => p)).toEqual([66, 67, 69, 71]);
  });

  it('keeps accidentals to the end of the bar, at their octave only', () => {
    // ^F F f | F  →  F#4 F#4 F5 | F4;  =B B | B in F major: B4 B4 | Bb4
    expect(triples(parseAbc(abc('^F F f z|F z z z|', 'L:1/4\nK:C'))).map(([p]) => p)).toEqual([66, 66, 77, 65]);
    expect(triples(parseAbc(abc('=B B z z|B z z z|', 'L:1/4\nK:F'))).map(([p]) => p)).toEqual([71, 71, 70]);
    expect(triples(parseAbc(abc('_E ^^F __B E|', 'L:1/4\nK:C'))).map(([p]) => p)).toEqual([63, 67, 69, 63]);
  });

  it('follows a key change in the tune', () => {
    expect(triples(parseAbc(abc('F F F F|\nK:G\nF F F F|', 'L:1/4\nK:C'))).map(([p]) => p)).toEqual([
      65, 65, 65, 65, 66, 66, 66, 66,
    ]);
  });

  it('keeps the highest note of a chord and ignores grace notes and chord symbols', () => {
    expect(triples(parseAbc(abc('"C"[CEG] {ag}F [G,B,DF]2|')))).toEqual([
      [67, 0, 4],
      [65, 4, 4],
      [65, 8, 8],
    ]);
  });

  it('shifts for octave clefs and transpose=', () => {
    expect(triples(parseAbc(abc('C D|', 'L:1/4\nK:C clef=treble-8'))).map(([p]) => p)).toEqual([48, 50]);
    expect(triples(parseAbc(abc('C D|', 'L:1/4\nK:C transpose=2'))).map(([p]) => p)).toEqual([62, 64]);
  });
});

describe('parseAbc: durations', () => {
  it('reads L: and length multipliers on the 16th grid', () => {
    expect(triples(parseAbc(abc('A2 A A/2 A/ A3/2 A/4 A/4|', 'L:1/8\nK:C'))).map(([, s, d]) => [s, d])).toEqual([
      [0, 4], [4, 2], [6, 1], [7, 1], [8, 3], [11, 1], [12, 1],
    ]);
  });

  it('defaults L: to 1/8 (M: 4/4) and 1/16 (M: 2/4 … below 3/4)', () => {
    expect(triples(parseAbc('X:1\nM:4/4\nK:C\nCDEF|\n')).map(([, , d]) => d)).toEqual([2, 2, 2, 2]);
    expect(triples(parseAbc('X:1\nM:2/4\nK:C\nCDEF|\n')).map(([, , d]) => d)).toEqual([1, 1, 1, 1]);
  });

  it('reads broken rhythms', () => {
    // A>>B is 7/4 + 1/4 of the pair: 3.5 and 0.5 steps, which round to 4 and (at least) 1.
    expect(triples(parseAbc(abc('A>B A<B A>>B z2|', 'L:1/8\nK:C')))).toEqual([
      [69, 0, 3], [71, 3, 1], [69, 4, 1], [71, 5, 3], [69, 8, 4], [71, 12, 1],
    ]);
  });

  it('reads rests z as time without notes', () => {
    expect(triples(parseAbc(abc('z C z2 D|')))).toEqual([
      [60, 4, 4],
      [62, 16, 4],
    ]);
  });

  it('joins tied notes, also across a bar line where the accidental carries over', () => {
    expect(triples(parseAbc(abc('C2-C2|^c2- | c2 d2|')))).toEqual([
      [60, 0, 16],
      [73, 16, 16],
      [74, 32, 8],
    ]);
  });

  it('rounds triplets to the nearest step, in order, without overlaps or zero-length notes', () => {
    // Eighth-note triplet in a quarter: 4/3 steps each → starts 8, 9.33, 10.67 → 8, 9, 11.
    const eighths = parseAbc(abc('C2 (3cde f2|', 'L:1/8\nK:C'));
    expect(triples(eighths)).toEqual([
      [60, 0, 4], [72, 4, 1], [74, 5, 2], [76, 7, 1], [77, 8, 4],
    ]);
    // Quarter-note triplet over a half note: 8/3 steps each.
    expect(triples(parseAbc(abc('(3CDE G2|'))).map(([, s, d]) => [s, d])).toEqual([
      [0, 3], [3, 2], [5, 3], [8, 8],
    ]);
    // 16th triplets cannot fit the 16th grid: each note still gets a step, in order.
    const sixteenths = parseAbc(abc('(3ABc d2 e4|', 'L:1/16\nK:C'));
    expect(sixteenths.notes.map((n) => n.pitch)).toEqual([69, 71, 72, 74, 76]);
    expectWellFormed(sixteenths);
  });
});

describe('parseAbc: tune structure', () => {
  it('reads repeats once through and plays only the last of first/second-time endings', () => {
    const melody = parseAbc(abc('|:C D E F|[1 G A B c:|[2 c B A G||d e f g|]'));
    expect(melody.notes.map((n) => n.pitch)).toEqual([60, 62, 64, 65, 72, 71, 69, 67, 74, 76, 77, 79]);
    expect(melody.notes.map((n) => n.start)).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44]);
  });

  it('handles endings on their own line and numbered endings without brackets', () => {
    expect(parseAbc(abc('|:C4|[1 D4:|\n[2 E4|]')).notes.map((n) => n.pitch)).toEqual([60, 64]);
    expect(parseAbc(abc('C4|1 D4:|2 E4|]')).notes.map((n) => n.pitch)).toEqual([60, 64]);
  });

  it('shifts a pickup so that bar lines fall on multiples of the bar length', () => {
    const waltz = parseAbc('X:1\nM:3/4\nL:1/4\nK:G\nD|G2 B|d3|\n');
    expect(triples(waltz)).toEqual([
      [62, 8, 4],
      [67, 12, 8],
      [71, 20, 4],
      [74, 24, 12],
    ]);
    const reel = parseAbc('X:1\nM:4/4\nL:1/8\nK:C\nGA|B2 c2 d4|\n');
    expect(reel.notes.map((n) => n.start)).toEqual([12, 14, 16, 20, 24]);
  });

  it('does not treat a single short bar, or a bar line at the start, as a pickup', () => {
    expect(parseAbc(abc('C D E|')).notes.map((n) => n.start)).toEqual([0, 4, 8]);
    expect(parseAbc(abc('|C D E F|G4|')).notes.map((n) => n.start)).toEqual([0, 4, 8, 12, 16]);
  });

  it('reads the first voice of a multi-voice tune', () => {
    const text = 'X:1\nT:Two voices\nM:4/4\nL:1/4\nK:C\nV:1\nc d e f|\nV:2\nC, D, E, F,|\nV:1\ng a b c\'|\nV:2\nG, A, B, C|\n';
    expect(parseAbc(text).notes.map((n) => n.pitch)).toEqual([72, 74, 76, 77, 79, 81, 83, 84]);
  });

  it('picks a tune of several by its position (from 0), the first by default', () => {
    const text = 'X:1\nT:First\nL:1/4\nK:C\nC D E F|\n\nX:2\nT:Second\nL:1/4\nK:G\nG A B c|\n';
    expect(parseAbc(text).title).toBe('First');
    const second = parseAbc(text, { tune: 1 });
    expect(second.title).toBe('Second');
    expect(second.notes.map((n) => n.pitch)).toEqual([67, 69, 71, 72]);
  });

  it('reads the meter: C is 4/4, C| is 2/2, none given is 4/4', () => {
    expect(parseAbc(abc('C4|', 'M:C\nL:1/4\nK:C')).timeSignature).toEqual({ numerator: 4, denominator: 4 });
    expect(parseAbc(abc('C4|', 'M:C|\nL:1/4\nK:C')).timeSignature).toEqual({ numerator: 2, denominator: 2 });
    expect(parseAbc(abc('C3|', 'M:3/4\nL:1/4\nK:C')).timeSignature).toEqual({ numerator: 3, denominator: 4 });
    expect(parseAbc(abc('C4|')).timeSignature).toEqual({ numerator: 4, denominator: 4 });
    // A meter set after K: but before the notes (as in some Nottingham tunes) counts.
    expect(parseAbc('X:1\nM:4/4\nK:A\nM:6/8\nf|ecc c2f|\n').timeSignature).toEqual({ numerator: 6, denominator: 8 });
  });

  it('converts Q: to quarter notes per minute, 100 when absent, clamped to 20–400', () => {
    const tempo = (q: string): number => parseAbc(abc('C4|', `${q}\nL:1/4\nK:C`)).tempo;
    expect(parseAbc(abc('C4|')).tempo).toBe(100);
    expect(tempo('Q:1/4=120')).toBe(120);
    expect(tempo('Q:3/8=80')).toBe(120);
    expect(tempo('Q:1/2=60')).toBe(120);
    expect(tempo('Q:1/8=90')).toBe(45);
    expect(tempo('Q:132')).toBe(132);
    expect(tempo('Q:1/4=1000')).toBe(400);
    expect(tempo('Q:1/8=20')).toBe(20);
  });

  it('ignores unknown fields such as Y: instead of reading them as notes', () => {
    const melody = parseAbc('X:1\nT:Y field\nY:AAB\nM:4/4\nL:1/4\nK:C\nC D E F|\n');
    expect(melody.notes.map((n) => n.pitch)).toEqual([60, 62, 64, 65]);
  });

  it('leaves out an empty title', () => {
    expect(parseAbc('X:1\nK:C\nC\n')).not.toHaveProperty('title');
  });
});

describe('parseAbc: errors', () => {
  it('rejects text that is not ABC, naming the first problem', () => {
    const e = errorOf('hello world');
    expect(e).toBeInstanceOf(NotationError);
    expect(e.bar).toBe(1);
    expect(e.token).toBe('h');
    expect(e.message).toMatch(/^bar 1: 'h' \(line 1 of the tune, column 1\) cannot be read — Unknown character ignored; check the ABC there/);
  });

  it('names the bar and the token of a bad character', () => {
    const e = errorOf('X:1\nK:C\nCDEF|GA$c|\n');
    expect([e.bar, e.token]).toEqual([2, '$']);
    expect(e.message).toContain("bar 2: '$' (line 3 of the tune, column 8)");
  });

  it('counts lines and bars within the chosen tune', () => {
    const text = 'X:1\nT:One\nK:C\nCDEF|\n\nX:2\nT:Two\nL:1/4\nK:C\nC D|E F|G $ A|\n';
    expect(parseAbc(text).notes).toHaveLength(4); // the first tune is fine
    const e = errorOf(text, { tune: 1 });
    expect([e.bar, e.token]).toEqual([3, '$']);
    expect(e.message).toContain('line 5 of the tune, column 11');
  });

  it('rejects a tune with no notes', () => {
    const e = errorOf('X:1\nT:Header only\nK:C\n');
    expect(e.bar).toBe(1);
    expect(e.message).toMatch(/^bar 1: no notes found in the ABC/);
    expect(errorOf('X:1\nK:C\nz4|z4|\n').message).toMatch(/no notes found/);
  });

  it('rejects empty text', () => {
    const e = errorOf('  \n ');
    expect([e.bar, e.token]).toEqual([1, '']);
    expect(e.message).toMatch(/^bar 1: the ABC text is empty/);
  });

  it('rejects a tune number that is not in the text', () => {
    const e = errorOf(abc('C4|'), { tune: 2 });
    expect([e.bar, e.token]).toEqual([1, '2']);
    expect(e.message).toBe('bar 1: tune 2 does not exist; the text holds 1 tune — pick 0 to 0');
    expect(errorOf(abc('C4|'), { tune: -1 }).token).toBe('-1');
  });

  it('rejects notes outside MIDI 0–127', () => {
    const e = errorOf(abc("C4|c''''''''|"));
    expect([e.bar, e.token]).toEqual([2, "c''''''''"]);
    expect(e.message).toBe("bar 2: 'c''''''''' is MIDI 168, outside 0–127; check its octave marks (, lowers and ' raises an octave)");
  });

  it('rejects a meter off the 16th grid', () => {
    const e = errorOf(abc('C|', 'M:7/32\nL:1/4\nK:C'));
    expect([e.bar, e.token]).toEqual([1, 'M:7/32']);
  });

  it('tolerates warnings that only concern engraving', () => {
    // abcjs cannot draw a 5-unit note and does not know `:|:` at a line end, but the music is clear.
    expect(parseAbc('X:1\nL:1/8\nK:C\nB5 z3|\n').notes).toEqual([{ pitch: 71, start: 0, duration: 10, velocity: 100 }]);
    expect(parseAbc('X:1\nL:1/4\nK:C\nC D E F:|:\nG A B c|\n').notes).toHaveLength(8);
  });
});

// A few tunes of the Nottingham Music Database, copied verbatim (GPL-3.0 data; see test/fixtures/README.md).
const NOTTINGHAM = new URL('../../test/fixtures/nottingham-abc/', import.meta.url);

/** One text per tune (each starts at its X: line). */
function tunesOf(file: string): string[] {
  return readFileSync(new URL(file, NOTTINGHAM), 'utf8')
    .split(/\n(?=X:)/)
    .filter((t) => /^X:/m.test(t));
}

function tuneTitled(file: string, title: string): string {
  const tune = tunesOf(file).find((t) => t.includes(`\nT:${title}\n`));
  if (!tune) throw new Error(`${title} not found in ${file}`);
  return tune;
}

describe('parseAbc: the Nottingham collection', () => {
  it('reads a waltz in 3/4 with a pickup, in G, with a triplet (checked by hand)', () => {
    const melody = parseAbc(tuneTitled('waltzes.abc', 'Alnwick Castle'));
    expect(melody.timeSignature).toEqual({ numerator: 3, denominator: 4 });
    // D | G3/2 B/2 A/2 F/2 | G A B | c d e  (F is F# in G)
    expect(triples(melody).slice(0, 11)).toEqual([
      [62, 8, 4],
      [67, 12, 6], [71, 18, 2], [69, 20, 2], [66, 22, 2],
      [67, 24, 4], [69, 28, 4], [71, 32, 4],
      [72, 36, 4], [74, 40, 4], [76, 44, 4],
    ]);
    // Bar 12: d2 (3d/2e/2f/2 — the triplet's 4/3-step eighths round to 1, 2, 1 steps.
    expect(triples(melody).filter(([, s]) => s >= 144 && s < 156)).toEqual([
      [74, 144, 8], [74, 152, 1], [76, 153, 2], [78, 155, 1],
    ]);
    expectWellFormed(melody);
  });

  it('reads a reel with a pickup in G', () => {
    const melody = parseAbc(tuneTitled('reelsa-c.abc', "Aaron's (Rarified) Air"));
    expect(melody.timeSignature).toEqual({ numerator: 4, denominator: 4 });
    // D | D G F# A | G2 D D | G3/2 A/2 B c
    expect(triples(melody).slice(0, 12)).toEqual([
      [62, 12, 4],
      [62, 16, 4], [67, 20, 4], [66, 24, 4], [69, 28, 4],
      [67, 32, 8], [62, 40, 4], [62, 44, 4],
      [67, 48, 6], [69, 54, 2], [71, 56, 4], [72, 60, 4],
    ]);
  });

  it('reads a jig whose meter is set after K:, with a key change', () => {
    const melody = parseAbc(tuneTitled('jigs.abc', 'A and D'));
    expect(melody.timeSignature).toEqual({ numerator: 6, denominator: 8 });
    expect(melody.notes[0]).toEqual({ pitch: 78, start: 10, duration: 2, velocity: 100 }); // f (F#5) pickup
    expectWellFormed(melody);
  });

  for (const file of ['waltzes.abc', 'reelsa-c.abc', 'hpps.abc', 'morris.abc']) {
    it(`parses every tune of ${file} to a non-empty melody`, () => {
      const tunes = tunesOf(file);
      expect(tunes).toHaveLength(8);
      for (const tune of tunes) {
        const melody = parseAbc(tune);
        expect(melody.notes.length, tune.slice(0, 60)).toBeGreaterThan(0);
        expect(melody.title).toBeTruthy();
        expectWellFormed(melody);
      }
    });
  }

  it('reports the malformed chord in "Joy of the Dance" with its bar', () => {
    // Line 9 has `[e2c2(3A/2B/2c/2|`: the chord never closes.
    const e = errorOf(tuneTitled('jigs.abc', 'Joy of the Dance'));
    expect(e.bar).toBe(9);
    expect(e.message).toContain("Expected ']' to end the chords");
  });
});

describe('parseAbc: chord symbols and the key', () => {
  const symbols = (melody: Melody): [string, number, number][] =>
    (melody.chords ?? []).map((c) => [chordSymbol(c.chord), c.start, c.duration]);

  it('reads chord symbols into chords lasting to the next symbol or the end of the last bar', () => {
    const melody = parseAbc(abc('"G"G A "D7"B c|"C"c2 "G7/B"B2|"C"c4|'));
    expect(symbols(melody)).toEqual([['G', 0, 8], ['D7', 8, 8], ['C', 16, 8], ['G7', 24, 8], ['C', 32, 16]]);
    // The last chord holds to the end of the bar the melody ends in.
    expect(symbols(parseAbc(abc('"F"F G A|')))).toEqual([['F', 0, 16]]);
  });

  it('reads symbols on rests and spacers, N.C., optional (A7) chords and ♭ ♯ spellings; ignores annotations', () => {
    const melody = parseAbc(abc('"Bb"B2 "^text"c "_below"d|"Eb"z "<left"e "N.C."f "(F#m)"g|"Am"a2 "D7"y b2|', 'L:1/4\nK:Bb'));
    expect(symbols(melody)).toEqual([['Bb', 0, 16], ['Eb', 16, 8], ['F#m', 28, 4], ['Am', 32, 8], ['D7', 40, 8]]);
  });

  it('shifts chords with a pickup and skips those of first-time endings', () => {
    const waltz = parseAbc('X:1\nM:3/4\nL:1/4\nK:G\n"D7"D|"G"G2 "Em"B|"C"d3|\n');
    expect(waltz.notes[0]!.start).toBe(8);
    expect(symbols(waltz)).toEqual([['D7', 8, 4], ['G', 12, 8], ['Em', 20, 4], ['C', 24, 12]]);
    const endings = parseAbc(abc('|:"C"C D E F|[1 "G"G A B c:|[2 "F"c B A G|]'));
    expect(symbols(endings)).toEqual([['C', 0, 16], ['F', 16, 16]]);
  });

  it('places a symbol where its note was quantised (triplets)', () => {
    const melody = parseAbc(abc('(3"C"C"D"D"E"E G2|', 'L:1/8\nK:C'));
    expect(symbols(melody).map(([s, start]) => [s, start])).toEqual(melody.notes.slice(0, 3).map((n, i) => [['C', 'D', 'E'][i], n.start]));
  });

  it('refuses a chord symbol it cannot read, naming the bar and the symbol', () => {
    const e = errorOf(abc('"C"C D E F|"Hm"G A B c|'));
    expect(e.bar).toBe(2);
    expect(e.token).toBe('"Hm"');
    expect(e.message).toMatch(/^bar 2: the chord symbol '"Hm"' cannot be read; write chords like C, Am, G7/);
  });

  it('has no chords when the tune has none', () => {
    expect(parseAbc(abc('C D E F|')).chords).toBeUndefined();
  });

  it('takes K: at the first note as the key, modes as major or minor', () => {
    const keyOf = (k: string) => {
      const key = parseAbc(abc('C D E F|', `L:1/4\nK:${k}`)).key;
      return key && keyName(key);
    };
    expect(keyOf('G')).toBe('G');
    expect(keyOf('F#m')).toBe('F#m');
    expect(keyOf('Bb')).toBe('Bb');
    expect(keyOf('Ador')).toBe('Am');
    expect(keyOf('D mix')).toBe('D');
    expect(keyOf('E phrygian')).toBe('Em');
    expect(keyOf('none')).toBeUndefined();
    expect(keyName(parseAbc(tuneTitled('jigs.abc', 'A and D')).key!)).toBe('A');
  });

  it('reads the chords of the Nottingham tunes', () => {
    const melody = parseAbc(tuneTitled('jigs.abc', 'A and D'));
    const bar = stepsPerBar(melody.timeSignature);
    expect(melody.chords!.length).toBeGreaterThan(10);
    // The pickup bar has no chord; the first full bar is A.
    expect(melody.chords![0]).toMatchObject({ start: bar, chord: { root: 9, quality: 'maj' } });
    for (const c of melody.chords!) expect(c.start % 2).toBe(0);
  });
});
