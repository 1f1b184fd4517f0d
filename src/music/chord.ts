import { Chord as TonalChord, Note as TonalNote } from 'tonal';

/**
 * Chords as the domain sees them: a root pitch class and a quality. Symbols follow lead-sheet spelling
 * (`C`, `Am`, `G7`, `Bdim`, `Fmaj7`, `Dm7`, `Bm7b5`); the Weimar Jazz Database's spellings (`F-7`,
 * `Ebj7`, `C79b`) are read too.
 */
export const CHORD_QUALITIES = ['maj', 'min', 'dim', 'aug', 'sus4', '7', 'maj7', 'm7', 'm7b5', 'dim7'] as const;
export type ChordQuality = (typeof CHORD_QUALITIES)[number];

export interface Chord {
  /** Pitch class of the root, 0 = C. */
  readonly root: number;
  readonly quality: ChordQuality;
}

/** A chord held over steps [start, start + duration) of a piece. */
export interface ChordSpan {
  readonly start: number;
  readonly duration: number;
  readonly chord: Chord;
}

/** Intervals above the root of each quality. */
export const QUALITY_INTERVALS: Readonly<Record<ChordQuality, readonly number[]>> = {
  maj: [0, 4, 7],
  min: [0, 3, 7],
  dim: [0, 3, 6],
  aug: [0, 4, 8],
  sus4: [0, 5, 7],
  '7': [0, 4, 7, 10],
  maj7: [0, 4, 7, 11],
  m7: [0, 3, 7, 10],
  m7b5: [0, 3, 6, 10],
  dim7: [0, 3, 6, 9],
};

const SUFFIX: Readonly<Record<ChordQuality, string>> = {
  maj: '', min: 'm', dim: 'dim', aug: 'aug', sus4: 'sus4', '7': '7', maj7: 'maj7', m7: 'm7', m7b5: 'm7b5', dim7: 'dim7',
};

const SHARP_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];

export const pitchClass = (pitch: number): number => ((pitch % 12) + 12) % 12;

export function chordPitchClassSet(chord: Chord): number[] {
  return QUALITY_INTERVALS[chord.quality].map((i) => (chord.root + i) % 12);
}

export function chordSymbol(chord: Chord): string {
  return `${SHARP_NAMES[chord.root]}${SUFFIX[chord.quality]}`;
}

export function sameChord(a: Chord | undefined, b: Chord | undefined): boolean {
  return a !== undefined && b !== undefined && a.root === b.root && a.quality === b.quality;
}

/** The triad a chord reduces to (sevenths drop their seventh): what chord accuracy compares. */
export function triadOf(chord: Chord): Chord {
  const quality: ChordQuality =
    chord.quality === '7' || chord.quality === 'maj7' ? 'maj'
      : chord.quality === 'm7' ? 'min'
        : chord.quality === 'm7b5' || chord.quality === 'dim7' ? 'dim'
          : chord.quality;
  return { root: chord.root, quality };
}

/** Tonal's chord types mapped onto ours (by their intervals); anything else is matched by pitch classes. */
function qualityOfPitchClasses(root: number, classes: readonly number[]): ChordQuality | undefined {
  const rel = new Set(classes.map((pc) => (pc - root + 12) % 12));
  const has = (i: number) => rel.has(i);
  if (has(4) && has(8) && !has(7)) return 'aug';
  if (has(3) && has(6) && has(9) && !has(7)) return 'dim7';
  if (has(3) && has(6) && !has(7)) return has(10) ? 'm7b5' : 'dim';
  if (has(3)) return has(10) ? 'm7' : 'min';
  if (has(4)) return has(10) ? '7' : has(11) ? 'maj7' : 'maj';
  if (has(5) && has(7)) return has(10) ? '7' : 'sus4';
  if (has(7)) return 'maj';
  return undefined;
}

/**
 * Reads a chord symbol (`G7`, `F#m`, `Bb/D`, `Ebj7`, `F-7`, `C79b`, `Bbsus7`, `F7alt`). A slash bass is
 * dropped; extensions the chord library does not know are dropped from the end until it does.
 * Undefined for `NC`, `N.C.` and unreadable symbols.
 */
export function parseChordSymbol(symbol: string): Chord | undefined {
  const trimmed = symbol.trim();
  if (!/^[A-Ga-g]/.test(trimmed)) return undefined;
  let name = (trimmed[0].toUpperCase() + trimmed.slice(1))
    .replace(/\/.*$/, '')
    .replace(/^([A-G][b#]?)-/, '$1m')
    .replace(/^([A-G][b#]?)mi(?!n)/, '$1m')
    .replace(/(?<!ma)j7/, 'maj7')
    .replace(/alt$/, '7b9#5')
    .replace(/sus7/, '7sus4')
    .replace(/sus$/, 'sus4')
    .replace(/°/, 'dim')
    .replace(/ø/, 'm7b5');
  while (name.length > 0) {
    const chord = TonalChord.get(name);
    if (!chord.empty && chord.tonic) {
      const root = TonalNote.chroma(chord.tonic);
      const classes = chord.notes.map((n) => TonalNote.chroma(n)).filter((pc): pc is number => pc !== undefined);
      if (root !== undefined && classes.length > 0) {
        const quality = qualityOfPitchClasses(root, classes);
        if (quality) return { root, quality };
      }
    }
    name = name.slice(0, -1);
  }
  return undefined;
}

/** Steps of a chord span list, each step's chord (undefined = no chord). */
export function chordsPerStep(spans: readonly ChordSpan[], steps: number): (Chord | undefined)[] {
  const out = new Array<Chord | undefined>(steps).fill(undefined);
  for (const span of spans) {
    for (let s = Math.max(0, span.start); s < Math.min(steps, span.start + span.duration); s++) out[s] = span.chord;
  }
  return out;
}

/** Per-step chords back into spans: runs of one chord merge. */
export function spansFromSteps(perStep: readonly (Chord | undefined)[]): ChordSpan[] {
  const spans: ChordSpan[] = [];
  let s = 0;
  while (s < perStep.length) {
    const chord = perStep[s];
    let e = s + 1;
    while (e < perStep.length && (chord === undefined ? perStep[e] === undefined : sameChord(chord, perStep[e]))) e++;
    if (chord) spans.push({ start: s, duration: e - s, chord });
    s = e;
  }
  return spans;
}

export function transposeChords(spans: readonly ChordSpan[], semitones: number): ChordSpan[] {
  return spans.map((s) => ({ ...s, chord: { root: pitchClass(s.chord.root + semitones), quality: s.chord.quality } }));
}

/** The chords of steps [start, start + length), moved to start at step 0. */
export function chordsIn(spans: readonly ChordSpan[], start: number, length: number): ChordSpan[] {
  const end = start + length;
  return spans
    .filter((s) => s.start < end && s.start + s.duration > start)
    .map((s) => {
      const a = Math.max(s.start, start);
      const b = Math.min(s.start + s.duration, end);
      return { start: a - start, duration: b - a, chord: s.chord };
    });
}

export function shiftChords(spans: readonly ChordSpan[], steps: number): ChordSpan[] {
  return spans.map((s) => ({ ...s, start: s.start + steps }));
}

/**
 * The chord that best explains some pitch-class weights (e.g. the notes of all voices over a beat):
 * triads and sevenths scored by the weight on their tones minus the weight off them, simpler chords
 * first on ties. Undefined when nothing sounds.
 */
export function identifyChord(weights: readonly number[], qualities: readonly ChordQuality[] = ['maj', 'min', 'dim', '7', 'm7', 'maj7', 'm7b5']): Chord | undefined {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return undefined;
  let best: Chord | undefined;
  let bestScore = -Infinity;
  for (const quality of qualities) {
    const intervals = QUALITY_INTERVALS[quality];
    for (let root = 0; root < 12; root++) {
      let on = 0;
      for (const i of intervals) on += weights[(root + i) % 12];
      // The root itself sounding makes a reading likelier; extra chord tones cost a little.
      const score = on - (total - on) + 0.25 * weights[root] - 0.05 * total * (intervals.length - 3);
      if (score > bestScore + 1e-9) {
        best = { root, quality };
        bestScore = score;
      }
    }
  }
  return best;
}
