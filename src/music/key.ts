import type { Note } from './melody.js';
import { pitchClass } from './chord.js';

/** A key: tonic pitch class (0 = C) and mode. */
export interface Key {
  readonly tonic: number;
  readonly mode: 'major' | 'minor';
}

// Krumhansl & Kessler (1982) probe-tone profiles, tonic first.
const MAJOR_PROFILE = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR_PROFILE = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

const NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
const MAJOR_STEPS = [0, 2, 4, 5, 7, 9, 11];
const MINOR_STEPS = [0, 2, 3, 5, 7, 8, 10];

function correlation(a: readonly number[], b: readonly number[]): number {
  const ma = a.reduce((x, y) => x + y, 0) / a.length;
  const mb = b.reduce((x, y) => x + y, 0) / b.length;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return da === 0 || db === 0 ? 0 : num / Math.sqrt(da * db);
}

/** Duration-weighted pitch-class histogram. */
export function pitchClassWeights(notes: readonly Note[]): number[] {
  const w = new Array<number>(12).fill(0);
  for (const n of notes) w[pitchClass(n.pitch)] += n.duration;
  return w;
}

/**
 * The Krumhansl–Schmuckler key of some notes: the major or minor key whose profile correlates best with
 * their duration-weighted pitch classes. C major when nothing sounds; ties go to the lower tonic.
 */
export function estimateKey(notes: readonly Note[], extraWeights?: readonly number[]): Key {
  const w = pitchClassWeights(notes);
  if (extraWeights) extraWeights.forEach((x, i) => (w[i] += x));
  let best: Key = { tonic: 0, mode: 'major' };
  let bestR = -Infinity;
  for (const mode of ['major', 'minor'] as const) {
    const profile = mode === 'major' ? MAJOR_PROFILE : MINOR_PROFILE;
    for (let tonic = 0; tonic < 12; tonic++) {
      const rotated = w.map((_, i) => w[(i + tonic) % 12]);
      const r = correlation(rotated, profile);
      if (r > bestR + 1e-12) {
        best = { tonic, mode };
        bestR = r;
      }
    }
  }
  return best;
}

/** The scale's pitch classes (natural minor for minor keys). */
export function keyScale(key: Key): Set<number> {
  return new Set((key.mode === 'major' ? MAJOR_STEPS : MINOR_STEPS).map((i) => (i + key.tonic) % 12));
}

/**
 * Semitones (−6…+5) that move a key to C major or A minor, the one key models are trained in: adding
 * them to every pitch normalises the music, subtracting them moves it back.
 */
export function normalisingShift(key: Key): number {
  const target = key.mode === 'major' ? 0 : 9;
  const up = (((target - key.tonic) % 12) + 12) % 12;
  return up > 5 ? up - 12 : up;
}

export function keyName(key: Key): string {
  return `${NAMES[key.tonic]}${key.mode === 'minor' ? 'm' : ''}`;
}

/** Reads `C`, `F#m`, `Bb minor`, `eb major`, `Am`. Undefined when unreadable. */
export function parseKey(text: string): Key | undefined {
  const m = /^\s*([A-Ga-g])([#b♯♭]?)\s*(m|min|minor|maj|major)?\s*$/i.exec(text);
  if (!m) return undefined;
  const base = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 }[m[1].toLowerCase() as 'c'];
  const accidental = m[2] === '#' || m[2] === '♯' ? 1 : m[2] === 'b' || m[2] === '♭' ? -1 : 0;
  const suffix = (m[3] ?? '').toLowerCase();
  const mode = suffix === 'm' || suffix === 'min' || suffix === 'minor' ? 'minor' : 'major';
  // A lone 'M' (not 'm') means major in some spellings; the regex is case-insensitive, so check the case.
  const isMinor = mode === 'minor' && m[3] !== 'M';
  return { tonic: pitchClass(base + accidental), mode: isMinor ? 'minor' : 'major' };
}
