import { describe, expect, it } from 'vitest';
import type { Note } from './melody.js';
import { detectKey, pieceMetrics, scalePitchClasses, summarize, tonalCentroid, tonalDistance, trackMetrics } from './metrics.js';

const n = (pitch: number, start: number, duration: number): Note => ({ pitch, start, duration, velocity: 100 });
const C_MAJOR = scalePitchClasses(0);

describe('track metrics', () => {
  it('counts empty bars', () => {
    const m = trackMetrics([n(60, 0, 4)], 4, 16, C_MAJOR);
    expect(m.emptyBarRate).toBe(0.75);
  });

  it('counts a note held across a bar line in both bars', () => {
    expect(trackMetrics([n(60, 12, 8)], 2, 16, C_MAJOR).emptyBarRate).toBe(0);
  });

  it('counts pitches and pitch classes per non-empty bar', () => {
    // bar 0: C4 and C5 (2 pitches, 1 class); bar 1: empty; bar 2: C4 E4 G4 (3, 3)
    const m = trackMetrics([n(60, 0, 4), n(72, 4, 4), n(60, 32, 4), n(64, 36, 4), n(67, 40, 4)], 3, 16, C_MAJOR);
    expect(m.pitchesUsed).toBe(2.5);
    expect(m.pitchClassesUsed).toBe(2);
  });

  it('measures the in-scale ratio against the given scale', () => {
    const m = trackMetrics([n(60, 0, 4), n(61, 4, 4), n(62, 8, 4), n(64, 12, 4)], 1, 16, C_MAJOR);
    expect(m.inScaleRatio).toBe(0.75);
  });

  it('measures polyphony over sounding steps', () => {
    // steps 0-1: three pitches, 2-3: two, 4-7: one, 8-15: silent
    const m = trackMetrics([n(60, 0, 8), n(64, 0, 2), n(67, 0, 4)], 1, 16, C_MAJOR);
    expect(m.polyphonyRate).toBe(4 / 8);
  });

  it('counts notes of three steps or more as qualified', () => {
    const m = trackMetrics([n(60, 0, 1), n(62, 1, 2), n(64, 3, 3), n(65, 6, 10)], 1, 16, C_MAJOR);
    expect(m.qualifiedNoteRate).toBe(0.5);
  });

  it('ignores pitches outside 24–107 and reports extremes', () => {
    const m = trackMetrics([n(10, 0, 4), n(50, 4, 4), n(70, 8, 4), n(120, 12, 4)], 1, 16, C_MAJOR);
    expect(m.noteCount).toBe(2);
    expect([m.lowestPitch, m.highestPitch]).toEqual([50, 70]);
  });

  it('gives zeros, not NaN, for an empty track', () => {
    const m = trackMetrics([], 2, 16, C_MAJOR);
    expect(m).toMatchObject({ emptyBarRate: 1, pitchesUsed: 0, inScaleRatio: 0, polyphonyRate: 0, lowestPitch: null });
  });
});

describe('key and tonal distance', () => {
  it('detects the scale holding the most note steps', () => {
    const gMajor = [67, 69, 71, 72, 74, 76, 78].map((p, i) => n(p, i * 4, 4));
    expect(detectKey(gMajor)).toBe(7);
    expect(detectKey([60, 62, 64, 65, 67].map((p, i) => n(p, i * 4, 4)))).toBe(0);
  });

  it('puts the tonal centroid of a single pitch class on the unit circles', () => {
    const c = tonalCentroid([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])!;
    expect(c[1]).toBeCloseTo(1); // cos 0 on the fifths circle
    expect(c[5]).toBeCloseTo(0.5); // r3 = 0.5
    expect(tonalCentroid(new Array(12).fill(0))).toBeNull();
  });

  it('is zero for the same harmony and larger for distant keys than near ones', () => {
    const triad = (root: number) => [0, 4, 7].map((i) => n(root + i, 0, 16));
    expect(tonalDistance(triad(60), triad(48), 1, 16)).toBeCloseTo(0);
    const near = tonalDistance(triad(60), triad(67), 1, 16); // C vs G major
    const far = tonalDistance(triad(60), triad(66), 1, 16); // C vs F# major
    expect(far).toBeGreaterThan(near);
    expect(tonalDistance(triad(66), triad(60), 1, 16)).toBeCloseTo(far);
  });

  it('is NaN when the tracks never sound in the same bar', () => {
    expect(tonalDistance([n(60, 0, 4)], [n(60, 16, 4)], 2, 16)).toBeNaN();
  });
});

describe('piece metrics and summaries', () => {
  it('judges the accompaniment against the key of the melody track', () => {
    const melody = [60, 62, 64, 65].map((p, i) => n(p, i * 4, 4));
    const bass = [n(49, 0, 16)]; // C#: out of C major
    const m = pieceMetrics([melody, bass], 1, 16, { keyTrack: 0 });
    expect(m.keyTonic).toBe(0);
    expect(m.tracks[1].inScaleRatio).toBe(0);
    expect(m.tonalDistance).toHaveLength(1);
  });

  it('averages over pieces, skipping undefined values', () => {
    const a = pieceMetrics([[n(60, 0, 16)], [n(48, 0, 16)]], 1, 16);
    const b = pieceMetrics([[n(60, 0, 16)], []], 1, 16);
    const s = summarize([a, b]);
    expect(s.pieces).toBe(2);
    expect(s.tracks[1].emptyBarRate).toBe(0.5);
    expect(s.tracks[1].inScaleRatio).toBe(1);
    expect(s.tonalDistance[0].distance).toBeCloseTo(0);
  });
});
