/**
 * The chords and key a compose request gives (as text: chords by bar, a key name), applied to its
 * melody, and the chords and key a composition used, written back the same way: what the API, the
 * CLI and the Discord bot take and show, so that a user can see the chords, edit them and compose again.
 */
import { InvalidInputError } from '../errors.js';
import type { ChordSpan } from './chord.js';
import { formatChordBars, parseChordBars } from './chord-bars.js';
import { keyName, parseKey, type Key } from './key.js';
import { barCount, stepsPerBar, type Melody } from './melody.js';

export interface HarmonyText {
  /** Chords by bar (src/music/chord-bars.ts): `C | F G7 | C`. */
  readonly chords?: string;
  /** A key: `G`, `F#m`, `Bb minor`. */
  readonly key?: string;
}

/** What a composition followed, as text: its key (`G`, `Em`), its chords by bar and where they came from. */
export interface HarmonyUsed {
  readonly key?: string;
  readonly chords?: string;
  readonly chordSource?: 'given' | 'harmoniser';
}

/** A key as a person writes it; BAD_USER_INPUT naming it otherwise. */
export function parseKeyText(text: string): Key {
  const key = parseKey(text);
  if (!key) {
    throw new InvalidInputError(
      `key: '${text}' is not a key; write a tonic A–G with an optional # or b, and m for minor, like G, F#m, Bb or "Eb minor"`,
      { field: 'key', key: text },
    );
  }
  return key;
}

/** The melody's steps in whole bars: the span compositions and their chords cover. */
export function melodySteps(melody: Melody): number {
  return barCount(melody) * stepsPerBar(melody.timeSignature);
}

/**
 * The melody with the request's chords and key: given chords (even none, as empty text) replace the
 * chords written in the melody, a given key (not empty) replaces its key. Errors name the bar and the
 * symbol.
 */
export function withRequestedHarmony(melody: Melody, given: HarmonyText): Melody {
  const { chords: _chords, key: _key, ...rest } = melody;
  const chords = given.chords === undefined ? melody.chords : parseChordBars(given.chords, stepsPerBar(melody.timeSignature), melodySteps(melody));
  const key = given.key === undefined || given.key.trim() === '' ? melody.key : parseKeyText(given.key);
  return { ...rest, ...(chords && chords.length > 0 ? { chords } : {}), ...(key ? { key } : {}) };
}

/** A composition's key and chords (in the melody's key, on its steps) as text. */
export function harmonyUsed(
  composition: { readonly key?: Key; readonly chords?: readonly ChordSpan[]; readonly chordSource?: 'given' | 'harmoniser' },
  melody: Melody,
): HarmonyUsed {
  return {
    ...(composition.key ? { key: keyName(composition.key) } : {}),
    ...(composition.chords
      ? { chords: formatChordBars(composition.chords, stepsPerBar(melody.timeSignature), melodySteps(melody)), chordSource: composition.chordSource ?? 'given' }
      : {}),
  };
}
