import { describe, expect, it } from 'vitest';
import type { Note } from './melody.js';
import { hasConverged, partProfile, similarityIndex } from './similarity.js';

const note = (pitch: number, start: number, duration: number): Note => ({ pitch, start, duration, velocity: 90 });
const melody = [note(72, 0, 8), note(76, 8, 8), note(79, 16, 8), note(77, 24, 8)];
/** A bass on the chord roots, half notes. */
const bass = [note(48, 0, 16), note(53, 16, 16)];
const window = (part: Note[]) => [melody, part];

describe('the similarity index', () => {
  it('is 1 for the real parts themselves and falls as the parts move away from them', () => {
    const real = [window(bass), window(bass)];
    expect(similarityIndex(real, real, [1], 32, 16)).toBe(1);
    const blips = [window(bass.flatMap((n) => [note(n.pitch, n.start, 1), note(n.pitch + 1, n.start + 4, 1)]))];
    const silent = [window([])];
    const near = [window([note(48, 0, 16), note(55, 16, 16)])];
    const scores = [near, blips, silent].map((g) => similarityIndex(real.slice(0, 1), g, [1], 32, 16));
    expect(scores[0]).toBeGreaterThan(scores[1]);
    expect(scores[1]).toBeGreaterThan(0);
    expect(scores[0]).toBeLessThan(1);
    expect(scores[2]).toBeLessThan(scores[0]);
  });

  it('profiles what a part does: its scale, its lengths, its consonance with the melody, its empty bars', () => {
    const p = partProfile([window([note(49, 0, 1), note(48, 1, 15)])], 1, 32, 16);
    expect(p.inScale).toBeCloseTo(15 / 16);
    expect(p.lengths[0]).toBeCloseTo(0.5); // one of two notes is one step long
    expect(p.emptyBars).toBeCloseTo(0.5);
    expect(p.consonance).toBeCloseTo(15 / 16); // C under C and E, C# a minor ninth under C
    expect(p.dissonance).toBeCloseTo(1 / 16);
  });

  it('calls a curve converged when its last evaluations bring nothing above the best before them', () => {
    const rising = [0.5, 0.55, 0.6, 0.65, 0.7, 0.72, 0.74, 0.76, 0.78, 0.8, 0.82, 0.84];
    expect(hasConverged(rising)).toBe(false);
    const flat = [0.5, 0.6, 0.7, 0.8, 0.81, 0.81, 0.812, 0.809, 0.81, 0.811, 0.81, 0.812, 0.811];
    expect(hasConverged(flat)).toBe(true);
    expect(hasConverged(flat.slice(0, 5))).toBe(false); // too few evaluations to tell
  });
});
