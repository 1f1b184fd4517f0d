/**
 * Chords by bar: how people write a chord chart, and how the API, the CLI and the Discord bot take and
 * return a composition's chords (so that the chords a composition used can be edited and sent back).
 *
 *   C | F G7 | Am . Dm G7 | C
 *
 * - `|` separates bars; bar 1 is the melody's first bar (the bar of a pickup). A `|` at the start or
 *   the end, `||` and `|]` are fine.
 * - The symbols of a bar share it equally: in 4/4 `F G7` is two beats each, `Am . Dm G7` one beat
 *   each. A bar holds 1, 2, 4, 8 or 16 shares in 4/4 (any count that divides its 16th-note steps).
 * - `.` (or `/`) holds the chord before for its share; `N.C.` (or `NC`) is no chord.
 * - Given the melody's length, the last chord holds to its end (write `N.C.` to stop it earlier).
 * - Symbols are lead-sheet chords, read by parseChordSymbol: `C`, `Am`, `G7`, `F#m7`, `Bbmaj7`,
 *   `Bdim`, `Bm7b5`, `Dsus4`, `Caug`, `Bb/D` (the bass is dropped); ♯ and ♭ work too, and so do
 *   the Nottingham tunes' `Cd` (diminished) and `Ca` (augmented).
 */
import { InvalidInputError } from '../errors.js';
import { chordSymbol, chordsPerStep, parseChordSymbol, sameChord, spansFromSteps, type Chord, type ChordSpan } from './chord.js';
import { MAX_MELODY_BARS } from './melody.js';

export const MAX_CHORD_TEXT = 4000;
export const CHORD_HINT = 'write chords like C, Am, G7, F#m7, Bbmaj7, Bdim or Bm7b5 (N.C. for no chord)';

const HOLD = new Set(['.', '/']);
const NO_CHORD_RE = /^(n\.?\s?c\.?|none)$/i;
// What may follow a root: qualities, extensions, alterations and a slash bass, whatever its spelling
// (Nottingham's `D/f+`; the bass is dropped anyway), so that `Bass` or
// `Great`, text rather than chords, are not read as B and G).
const SYMBOL_RE = /^[A-Ga-g][#b]?(?:maj|min|mi|ma|dim|aug|sus|add|alt|omit|no|[mMj\-+°øΔ0-9#b()/,])*(?:\/.*)?$/;

/**
 * A chord symbol as people write it: the chord, `null` for "no chord" (N.C., NC), or undefined when
 * it cannot be read. ♯/♭ (as abcjs writes them) and surrounding parentheses (an optional chord, as
 * folk tunes write them: `(A7)`) are read too.
 */
export function readChordSymbol(text: string): Chord | null | undefined {
  // Two symbols on one note (`"C""Em"`: abcjs joins them with a line break): the first one sounds.
  const first = text.split('\n').find((line) => line.trim() !== '') ?? '';
  const symbol = first.trim().replace(/^\((.*)\)$/, '$1').replace(/♯/g, '#').replace(/♭/g, 'b').trim();
  if (NO_CHORD_RE.test(symbol)) return null;
  // The Nottingham Music Database's own spelling: a bare `d` after the root is diminished, `a` augmented.
  const spelled = symbol.replace(/^([A-Ga-g][#b]?)([da])(?=$|\/)/, (_, root: string, q: string) => `${root}${q === 'd' ? 'dim' : 'aug'}`);
  return SYMBOL_RE.test(spelled) ? parseChordSymbol(spelled) : undefined;
}

/** A chord symbol written at a step: the chord (null: no chord) from there to the next mark. */
export interface ChordMark {
  readonly start: number;
  readonly chord: Chord | null;
}

/**
 * Chord symbols written at steps (ABC's `"G7"`, the notation's) into spans: each chord lasts until the
 * next mark or `end`; a later mark at the same step replaces an earlier one. Runs of one chord merge.
 */
export function spansFromMarks(marks: readonly ChordMark[], end: number): ChordSpan[] {
  const sorted = [...marks].filter((m) => m.start < end).sort((a, b) => a.start - b.start);
  const perStep = new Array<Chord | undefined>(Math.max(0, end)).fill(undefined);
  sorted.forEach((mark, i) => {
    const until = i + 1 < sorted.length ? sorted[i + 1]!.start : end;
    for (let s = Math.max(0, mark.start); s < until; s++) perStep[s] = mark.chord ?? undefined;
  });
  return spansFromSteps(perStep);
}

function divisors(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
}

function badChords(message: string, details: Record<string, unknown>): InvalidInputError {
  return new InvalidInputError(`chords: ${message}`, { field: 'chords', ...details });
}

/** The bars of a chord text: `|`-separated, with bar lines at the ends and `||`, `|]` allowed. */
function barTexts(text: string): string[] {
  const bars = text.split(/\|\]|\|\||\|/);
  if (bars.length > 1 && bars[0]!.trim() === '') bars.shift();
  if (bars.length > 1 && bars[bars.length - 1]!.trim() === '') bars.pop();
  return bars;
}

/**
 * Reads chords by bar (see the top of this file) onto the step grid, from the melody's first bar.
 * With `steps` (the melody's length, whole bars), the last chord holds to the end and more bars than
 * the melody has are refused. Empty text is no chords. Errors are BAD_USER_INPUT naming the bar and
 * the symbol.
 */
export function parseChordBars(text: string, stepsPerBar: number, steps?: number): ChordSpan[] {
  if (!Number.isInteger(stepsPerBar) || stepsPerBar < 1) throw new RangeError(`stepsPerBar must be a whole number ≥ 1, got ${stepsPerBar}`);
  if (text.length > MAX_CHORD_TEXT) {
    throw badChords(`the text is ${text.length} characters; the limit is ${MAX_CHORD_TEXT}`, { length: text.length });
  }
  if (text.trim() === '') return [];
  const bars = barTexts(text);
  const melodyBars = steps === undefined ? MAX_MELODY_BARS : Math.ceil(steps / stepsPerBar);
  if (bars.length > melodyBars) {
    throw badChords(
      steps === undefined
        ? `${bars.length} bars given; a melody has at most ${MAX_MELODY_BARS}`
        : `${bars.length} bars given, but the melody has ${melodyBars}; give one bar of chords (between | bar lines) per bar of the melody, or fewer (the last chord holds)`,
      { bars: bars.length },
    );
  }
  const perStep = new Array<Chord | undefined>(steps ?? bars.length * stepsPerBar).fill(undefined);
  let current: Chord | undefined;
  bars.forEach((barText, b) => {
    const bar = b + 1;
    const symbols = barText.trim().split(/\s+/).filter((s) => s !== '');
    if (symbols.length === 0) {
      throw badChords(`bar ${bar} is empty; write its chord, '.' to hold the chord before, or N.C.`, { bar, symbol: '' });
    }
    if (stepsPerBar % symbols.length !== 0) {
      throw badChords(
        `bar ${bar} ('${symbols.join(' ')}') has ${symbols.length} symbols, which cannot share a bar of ${stepsPerBar} 16th-note steps equally; write ${divisors(stepsPerBar).join(', ')} symbols per bar, with '.' to hold a chord (e.g. 'C . . G7')`,
        { bar, symbol: symbols.join(' ') },
      );
    }
    const share = stepsPerBar / symbols.length;
    symbols.forEach((symbol, i) => {
      if (!HOLD.has(symbol)) {
        const chord = readChordSymbol(symbol);
        if (chord === undefined) throw badChords(`bar ${bar}: '${symbol}' is not a chord symbol; ${CHORD_HINT}, '.' to hold the chord before`, { bar, symbol });
        current = chord ?? undefined;
      }
      const start = b * stepsPerBar + i * share;
      for (let s = start; s < Math.min(start + share, perStep.length); s++) perStep[s] = current;
    });
  });
  // The last chord holds to the end of the melody.
  for (let s = bars.length * stepsPerBar; s < perStep.length; s++) perStep[s] = current;
  return spansFromSteps(perStep);
}

/**
 * Spans back into chords by bar, every bar of `steps` written out (N.C. where no chord sounds), each
 * bar in the fewest equal shares that hold its changes: the text parseChordBars reads back into the
 * same spans (within `steps`).
 */
export function formatChordBars(spans: readonly ChordSpan[], stepsPerBar: number, steps: number): string {
  if (!Number.isInteger(stepsPerBar) || stepsPerBar < 1) throw new RangeError(`stepsPerBar must be a whole number ≥ 1, got ${stepsPerBar}`);
  const bars = Math.ceil(Math.max(0, steps) / stepsPerBar);
  if (bars === 0) return '';
  const within = chordsPerStep(spans, steps);
  // Steps of the last bar after the melody's end read as its last step (not as a change to N.C.).
  const perStep = Array.from({ length: bars * stepsPerBar }, (_, s) => within[Math.min(s, steps - 1)]);
  const same = (a: Chord | undefined, b: Chord | undefined) => (a === undefined ? b === undefined : sameChord(a, b));
  const name = (c: Chord | undefined) => (c ? chordSymbol(c) : 'N.C.');
  const texts: string[] = [];
  for (let b = 0; b < bars; b++) {
    const bar = perStep.slice(b * stepsPerBar, (b + 1) * stepsPerBar);
    const shares = divisors(stepsPerBar).find((n) => {
      const share = stepsPerBar / n;
      return bar.every((c, s) => same(c, bar[s - (s % share)]));
    }) ?? stepsPerBar;
    const share = stepsPerBar / shares;
    const symbols = Array.from({ length: shares }, (_, i) => {
      const chord = bar[i * share];
      return i > 0 && same(chord, bar[(i - 1) * share]) ? '.' : name(chord);
    });
    texts.push(symbols.join(' '));
  }
  return texts.join(' | ');
}
