import type { BarRange } from '../music/melody.js';

/** Bars `range.first`…`range.last` of chords by bar (`C | F G7 | C`), as the melody's bar range takes them. */
export function chordBarsIn(chords: string, range: BarRange): string {
  const parts = chords.split(/\|\]|\|\||\|/);
  if (parts.length > 1 && parts[0]!.trim() === '') parts.shift();
  while (parts.length > 1 && parts[parts.length - 1]!.trim() === '') parts.pop();
  const kept = parts.slice(range.first - 1, range.last ?? parts.length).map((p) => p.trim());
  // A range past the written chords keeps the last one, which holds to the end.
  return kept.length > 0 ? kept.join(' | ') : (parts[parts.length - 1]?.trim() ?? '');
}

/** ABC is recognised by an `X:` header or a `K:` (key) line. */
export function looksLikeAbc(text: string): boolean {
  return /^\s*X:/m.test(text) || /^\s*K:/m.test(text);
}
