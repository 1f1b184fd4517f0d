/**
 * Keeps the first `bars` bars of a note-list melody written with bar lines. Settings before the first
 * note stay with the first bar. Without bar lines the text is returned unchanged.
 */
export function firstBars(notation: string, bars: number): string {
  const parts = notation.split(/\|\]|\|\||\|/);
  if (parts.length <= 1 || parts.length - 1 <= bars) return notation;
  const kept = parts.slice(0, bars).map((p) => p.trim());
  return `${kept.join(' | ')} |]`;
}

/** The first `bars` bars of chords by bar (`C | F G7 | C`); the rest is dropped. */
export function firstChordBars(chords: string, bars: number): string {
  const parts = chords.split(/\|\]|\|\||\|/);
  if (parts.length > 1 && parts[0]!.trim() === '') parts.shift();
  return parts.slice(0, bars).map((p) => p.trim()).join(' | ');
}

/** ABC is recognised by an `X:` header or a `K:` (key) line. */
export function looksLikeAbc(text: string): boolean {
  return /^\s*X:/m.test(text) || /^\s*K:/m.test(text);
}
