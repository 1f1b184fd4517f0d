import { Chord, Note as TonalNote } from 'tonal';
import type { Note } from './melody.js';

/**
 * Splits a part into its lowest line and the rest: a note belongs to the bass when nothing lower sounds
 * at its onset and it lies below `below`. The bass is made monophonic (a note ends where the next one
 * starts). Used to split a piano part into a bass line and the chords above it.
 */
export function splitBass(notes: readonly Note[], below = 128): { bass: Note[]; upper: Note[] } {
  const sorted = [...notes].sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  const bass: Note[] = [];
  const upper: Note[] = [];
  let active: Note[] = [];
  for (const note of sorted) {
    active = active.filter((o) => o.start + o.duration > note.start);
    const lowest = note.pitch < below && !active.some((o) => o.pitch <= note.pitch);
    active.push(note);
    (lowest ? bass : upper).push(note);
  }
  for (let i = 0; i + 1 < bass.length; i++) {
    const end = bass[i].start + bass[i].duration;
    if (end > bass[i + 1].start) bass[i] = { ...bass[i], duration: bass[i + 1].start - bass[i].start };
  }
  return { bass, upper };
}

/** Moves a pitch by whole octaves until it lies in low…high (or as close as the range allows). */
export function intoRange(pitch: number, low: number, high: number): number {
  let p = pitch;
  while (p > high && p - 12 >= low) p -= 12;
  while (p < low && p + 12 <= high) p += 12;
  return p;
}

/** Notes moved by octaves into a range; a folded note that lands on one already sounding there is dropped. */
export function foldIntoRange(notes: readonly Note[], range: { low: number; high: number } | undefined): Note[] {
  if (!range) return [...notes];
  const seen = new Set<string>();
  const out: Note[] = [];
  for (const n of notes) {
    const pitch = intoRange(n.pitch, range.low, range.high);
    const key = `${pitch}:${n.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(pitch === n.pitch ? n : { ...n, pitch });
  }
  return out;
}

/** A bass line derived from block chords: the lowest note of each chord, moved by octaves into low…high. */
export function bassFromChords(chords: readonly Note[], low = 33, high = 52): Note[] {
  return splitBass(chords).bass.map((n) => ({ ...n, pitch: intoRange(n.pitch, low, high) }));
}

/**
 * Root and pitch classes (0 = C) of a chord symbol in lead-sheet spelling, including the Weimar Jazz
 * Database's (`F-7`, `Ebj7`, `F7alt`, `Bbsus7`, `C79b`): extensions the chord library does not know are
 * dropped from the end until it does (`C79b` → `C7`). Undefined for `NC` and unreadable symbols.
 */
export function chordPitchClasses(symbol: string): { root: number; pitchClasses: number[] } | undefined {
  if (!/^[A-G]/.test(symbol.trim())) return undefined;
  let name = symbol
    .trim()
    .replace(/\/.*$/, '') // a slash bass is the bass player's business
    .replace(/^([A-G][b#]?)-/, '$1m')
    .replace(/j7/, 'maj7')
    .replace(/alt$/, '7b9#5')
    .replace(/sus7/, '7sus4')
    .replace(/sus$/, 'sus4');
  while (name.length > 0) {
    const chord = Chord.get(name);
    if (!chord.empty && chord.tonic) {
      const root = TonalNote.chroma(chord.tonic);
      const pitchClasses = chord.notes.map((n) => TonalNote.chroma(n)).filter((pc): pc is number => pc !== undefined);
      if (root !== undefined && pitchClasses.length > 0) return { root, pitchClasses };
    }
    name = name.slice(0, -1);
  }
  return undefined;
}

/**
 * A close-position voicing of some pitch classes within low…high (at most four notes, the root left to
 * the bass when there are more), chosen to move as little as possible from the previous voicing.
 */
export function voiceChord(pitchClasses: readonly number[], root: number, previous: readonly number[] | undefined, low = 52, high = 76): number[] {
  const classes = pitchClasses.length > 4 ? pitchClasses.filter((pc) => pc !== root % 12).slice(0, 4) : [...pitchClasses];
  const candidates: number[][] = [];
  for (let bottom = low; bottom <= high - 6; bottom++) {
    if (!classes.includes(bottom % 12)) continue;
    const voicing = [bottom];
    for (const pc of classes) {
      if (pc === bottom % 12) continue;
      voicing.push(bottom + ((pc - bottom % 12 + 12) % 12));
    }
    voicing.sort((a, b) => a - b);
    if (voicing[voicing.length - 1] <= high) candidates.push(voicing);
  }
  if (candidates.length === 0) return [];
  const centre = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const target = previous?.length ? centre(previous) : (low + high) / 2;
  return candidates.reduce((best, v) => (Math.abs(centre(v) - target) < Math.abs(centre(best) - target) ? v : best));
}
