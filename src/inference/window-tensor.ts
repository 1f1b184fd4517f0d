import type { Note } from '../music/melody.js';

/**
 * Writes a window into an NHWC float batch slot as −1/+1: the melody channel into `melody`
 * (steps × pitches × 1) and every track into `tracks` (steps × pitches × T).
 */
export function writeWindow(
  notes: readonly (readonly Note[])[],
  slot: number,
  melody: Float32Array,
  tracks: Float32Array,
  steps: number,
  pitchLow: number,
  pitchCount: number,
): void {
  const trackCount = notes.length;
  const melodyBase = slot * steps * pitchCount;
  const tracksBase = slot * steps * pitchCount * trackCount;
  melody.fill(-1, melodyBase, melodyBase + steps * pitchCount);
  tracks.fill(-1, tracksBase, tracksBase + steps * pitchCount * trackCount);
  notes.forEach((trackNotes, t) => {
    for (const n of trackNotes) {
      const p = n.pitch - pitchLow;
      if (p < 0 || p >= pitchCount) continue;
      for (let s = n.start; s < Math.min(steps, n.start + n.duration); s++) {
        tracks[tracksBase + (s * pitchCount + p) * trackCount + t] = 1;
        if (t === 0) melody[melodyBase + s * pitchCount + p] = 1;
      }
    }
  });
}

